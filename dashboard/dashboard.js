// The dashboard: calls in progress, their history and the call flows, kept live
// by the API's event stream. Everything shown comes from the API, so it is only
// ever written as text (textContent), never parsed as HTML.

const ACTIVE_REFRESH_MS = 2000;
const FLOWS_REFRESH_MS = 30_000;
const STREAM_RETRY_MS = 5000;
const HISTORY_PAGE = 25;
const HISTORY_KEEP = 500;
const LAST_EVENT_KEY = 'holdslayer.lastEventId';
/** Events that happened this long before the page's first list are already in it (allowing for clocks apart). */
const CATCH_UP_MARGIN_MS = 5000;

// The all-calls stream names each event by its type, and EventSource hands a
// page only the names it listens for: these are every type a call records.
const EVENT_TYPES = [
  'call.started',
  'call.menu_heard',
  'call.digits_sent',
  'call.speech_sent',
  'call.hold_started',
  'call.announcement_heard',
  'call.human_detected',
  'call.transferred',
  'call.ended',
];

const PHASE_LABELS = {
  dialing: 'Dialing',
  navigating: 'In the menu',
  holding: 'On hold',
  transferring: 'Bringing you in',
  connected: 'Connected',
  ended: 'Ended',
};

// Navigating and holding may alternate; transferring, connected and ended only
// follow one another. A phase an event announced is kept until a fetched view
// catches up with it.
const PHASE_RANK = {
  dialing: 0,
  navigating: 1,
  holding: 1,
  transferring: 2,
  connected: 3,
  ended: 4,
};

const STREAM_LABELS = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline, retrying',
  stopped: 'Offline',
};

class Unauthorized extends Error {}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const ui = {
  loading: byTestId('loading'),
  signIn: byTestId('sign-in'),
  signInForm: byTestId('sign-in-form'),
  signInKey: byTestId('sign-in-key'),
  signInError: byTestId('sign-in-error'),
  signInSubmit: byTestId('sign-in-submit'),
  topBar: byTestId('top-bar'),
  streamState: byTestId('stream-state'),
  signOut: byTestId('sign-out'),
  dashboard: byTestId('dashboard'),
  loadError: byTestId('load-error'),
  activeRows: byTestId('in-progress-rows'),
  activeEmpty: byTestId('in-progress-empty'),
  activeCount: byTestId('in-progress-count'),
  historyRows: byTestId('history-rows'),
  historyEmpty: byTestId('history-empty'),
  historyCount: byTestId('history-count'),
  historyMore: byTestId('history-more'),
  flowRows: byTestId('flow-rows'),
  flowsEmpty: byTestId('flows-empty'),
  flowsCount: byTestId('flows-count'),
};

/** What the page knows; rebuilt on each sign-in. */
let state = freshState();

function freshState() {
  return {
    running: false,
    /** id -> { view, requestedAt, anchor, hint, shownHold, holdKey, row } */
    active: new Map(),
    /** id -> { view, row } */
    history: new Map(),
    historyNext: null,
    flows: [],
    /** flow id -> { versions, error, loading } for the flows opened */
    expanded: new Map(),
    /** Server time (ms) before which an event of a call the page does not know is old news. */
    cutoff: 0,
    /** id -> { again } for the calls being fetched */
    fetching: new Map(),
    stream: null,
    streamRetry: null,
    activeTimer: null,
    tickTimer: null,
    flowsTimer: null,
    flowsSoon: null,
  };
}

// ---------------------------------------------------------------- requests

async function request(path, init = {}) {
  const headers = { Accept: 'application/json', ...(init.headers ?? {}) };
  const response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  const text = await response.text();
  let data = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  return { status: response.status, ok: response.ok, data, headers: response.headers };
}

/** The JSON of a 2xx answer; a 401 means the page must sign in (again). */
async function api(path, init) {
  const answer = await request(path, init);
  if (answer.status === 401) throw new Unauthorized('not signed in');
  if (!answer.ok) {
    const said = answer.data && typeof answer.data.error === 'string' ? answer.data.error : null;
    throw new ApiError(answer.status, said ?? `the API answered ${answer.status}`);
  }
  return answer;
}

// ---------------------------------------------------------------- sign-in

function showOnly(which) {
  ui.loading.hidden = which !== 'loading';
  ui.signIn.hidden = which !== 'sign-in';
  ui.dashboard.hidden = which !== 'dashboard';
  ui.topBar.hidden = which !== 'dashboard';
}

function showSignIn(message) {
  stop();
  showOnly('sign-in');
  setSignInError(message ?? null);
  ui.signInKey.focus();
}

function setSignInError(message) {
  ui.signInError.hidden = message === null;
  ui.signInError.textContent = message ?? '';
}

ui.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = ui.signInKey.value.trim();
  if (key === '') {
    setSignInError('Enter the API key.');
    return;
  }
  ui.signInSubmit.disabled = true;
  setSignInError(null);
  try {
    const answer = await request('/dashboard/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key }),
    });
    if (answer.status === 401) {
      setSignInError('That API key was not accepted.');
      ui.signInKey.select();
      return;
    }
    if (!answer.ok) {
      const said = answer.data && typeof answer.data.error === 'string' ? answer.data.error : '';
      setSignInError(`Could not sign in (${answer.status}) ${said}`.trim());
      return;
    }
    ui.signInKey.value = '';
    await boot();
  } catch (e) {
    setSignInError(`Could not reach the API: ${messageOf(e)}`);
  } finally {
    ui.signInSubmit.disabled = false;
  }
});

ui.signOut.addEventListener('click', async () => {
  try {
    await request('/dashboard/session', { method: 'DELETE' });
    showSignIn();
  } catch (e) {
    showSignIn(`Signed out here, but the API could not be told: ${messageOf(e)}`);
  }
});

// ---------------------------------------------------------------- start and stop

async function boot() {
  stop();
  state = freshState();
  clearRows();
  showOnly('loading');
  try {
    const first = await api('/api/calls?status=started&limit=200');
    const served = Date.parse(first.headers.get('Date') ?? '');
    state.cutoff = Number.isNaN(served) ? 0 : served - CATCH_UP_MARGIN_MS;
    const requestedAt = performance.now();
    for (const view of first.data.calls) upsert(view, requestedAt);
    await Promise.all([loadHistory(), loadFlows()]);
  } catch (e) {
    if (e instanceof Unauthorized) {
      showSignIn();
      return;
    }
    showOnly('dashboard');
    showLoadError(e);
  }
  state.running = true;
  showOnly('dashboard');
  render();
  openStream();
  state.activeTimer = setTimeout(refreshLoop, ACTIVE_REFRESH_MS);
  state.tickTimer = setInterval(renderActive, 1000);
  state.flowsTimer = setInterval(
    () => loadFlows().then(renderFlows, onRefreshError),
    FLOWS_REFRESH_MS,
  );
}

function stop() {
  state.running = false;
  closeStream();
  clearTimeout(state.activeTimer);
  clearInterval(state.tickTimer);
  clearInterval(state.flowsTimer);
  clearTimeout(state.flowsSoon);
  clearTimeout(state.streamRetry);
}

function clearRows() {
  ui.activeRows.replaceChildren();
  ui.historyRows.replaceChildren();
  ui.flowRows.replaceChildren();
}

function showLoadError(e) {
  ui.loadError.hidden = false;
  ui.loadError.textContent = `Could not refresh from the API: ${messageOf(e)}`;
}

function clearLoadError() {
  ui.loadError.hidden = true;
  ui.loadError.textContent = '';
}

function onRefreshError(e) {
  if (e instanceof Unauthorized) {
    showSignIn('Your session has ended: sign in again.');
    return;
  }
  showLoadError(e);
}

function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------- calls

function isEnded(view) {
  return view.phase === 'ended' || view.ended_at !== null;
}

/** Takes in a call as the API showed it, unless the page already holds a newer view of it. */
function upsert(view, requestedAt) {
  const done = state.history.get(view.id);
  // An ended call never starts again: a list asked for before it ended is old news.
  if (done && isEnded(done.view)) return;
  if (isEnded(view)) {
    const entry = state.active.get(view.id);
    entry?.row.remove();
    state.active.delete(view.id);
    state.history.set(view.id, { view, row: done?.row ?? null });
    if (state.running) scheduleFlowsRefresh();
    return;
  }
  const entry = state.active.get(view.id);
  if (entry && entry.requestedAt > requestedAt) return;
  const next = entry ?? { hint: null, shownHold: 0, holdKey: null, row: null };
  next.view = view;
  next.requestedAt = requestedAt;
  next.anchor = performance.now();
  if (next.hint && PHASE_RANK[view.phase] >= PHASE_RANK[next.hint]) next.hint = null;
  state.active.set(view.id, next);
}

async function refreshActive() {
  const requestedAt = performance.now();
  const { data } = await api('/api/calls?status=started&limit=200');
  const listed = new Set();
  for (const view of data.calls) {
    listed.add(view.id);
    upsert(view, requestedAt);
  }
  // A call no longer listed as started has ended (or gone): ask for it by name.
  for (const id of state.active.keys()) if (!listed.has(id)) refetchCall(id);
}

async function refreshLoop() {
  if (!state.running) return;
  try {
    await refreshActive();
    clearLoadError();
    renderActive();
    renderHistory();
  } catch (e) {
    onRefreshError(e);
  }
  if (state.running) state.activeTimer = setTimeout(refreshLoop, ACTIVE_REFRESH_MS);
}

/** One request per call at a time; events that arrive meanwhile ask for one more after it. */
function refetchCall(id) {
  const pending = state.fetching.get(id);
  if (pending) {
    pending.again = true;
    return;
  }
  const job = { again: true };
  // A sign-in again starts a new state: a request of the old one must not touch it.
  const owner = state;
  owner.fetching.set(id, job);
  const run = async () => {
    try {
      while (job.again && owner.running && owner === state) {
        job.again = false;
        const requestedAt = performance.now();
        const answer = await request(`/api/calls/${encodeURIComponent(id)}`);
        if (answer.status === 401) throw new Unauthorized('not signed in');
        if (answer.status === 404) {
          state.active.get(id)?.row.remove();
          state.active.delete(id);
        } else if (answer.ok) {
          upsert(answer.data, requestedAt);
        }
        render();
      }
    } catch (e) {
      if (owner === state) onRefreshError(e);
    } finally {
      owner.fetching.delete(id);
    }
  };
  void run();
}

async function loadHistory(after) {
  const query = new URLSearchParams({ status: 'ended', limit: String(HISTORY_PAGE) });
  if (after) query.set('after', after);
  const { data } = await api(`/api/calls?${query}`);
  const requestedAt = performance.now();
  for (const view of data.calls) upsert(view, requestedAt);
  state.historyNext = data.next;
}

ui.historyMore.addEventListener('click', async () => {
  if (!state.historyNext) return;
  ui.historyMore.disabled = true;
  try {
    await loadHistory(state.historyNext);
    renderHistory();
  } catch (e) {
    onRefreshError(e);
  } finally {
    ui.historyMore.disabled = false;
  }
});

// ---------------------------------------------------------------- live events

function setStreamState(which) {
  ui.streamState.dataset.state = which;
  ui.streamState.textContent = STREAM_LABELS[which];
}

function openStream() {
  closeStream();
  const last = sessionStorage.getItem(LAST_EVENT_KEY);
  // A reload picks up where this tab left off, so nothing stored while it reloaded is missed.
  const url = last
    ? `/api/events/stream?${new URLSearchParams({ last_event_id: last })}`
    : '/api/events/stream';
  const source = new EventSource(url);
  let heardAny = false;
  state.stream = source;
  setStreamState('connecting');
  source.addEventListener('open', () => setStreamState('open'));
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) {
      setStreamState('reconnecting');
      return;
    }
    // The browser gives up on an answer other than a stream (a 401, a place it no longer knows): try afresh.
    if (!heardAny) sessionStorage.removeItem(LAST_EVENT_KEY);
    setStreamState('closed');
    state.stream = null;
    state.streamRetry = setTimeout(async () => {
      try {
        await refreshActive();
        if (state.running) openStream();
      } catch (e) {
        onRefreshError(e);
        if (state.running) openStream();
      }
    }, STREAM_RETRY_MS);
  });
  const onEvent = (message) => {
    heardAny = true;
    if (message.lastEventId) sessionStorage.setItem(LAST_EVENT_KEY, message.lastEventId);
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    heard(event);
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, onEvent);
}

function closeStream() {
  if (state.stream) state.stream.close();
  state.stream = null;
  setStreamState('stopped');
}

function heard(event) {
  const id = event && typeof event.call_id === 'string' ? event.call_id : null;
  if (!id) return;
  if (state.history.has(id)) return;
  const entry = state.active.get(id);
  if (!entry) {
    // Catching up on calls from before the page's lists: those are in them, or too old to show.
    const at = Date.parse(event.occurred_at);
    if (!Number.isNaN(at) && at < state.cutoff) return;
  } else {
    const announced = phaseAnnounced(event);
    if (announced && PHASE_RANK[announced] > PHASE_RANK[entry.view.phase]) {
      entry.hint = announced;
      renderActive();
    }
  }
  refetchCall(id);
}

/** What an event already says about the phase, before the workflow is asked. */
function phaseAnnounced(event) {
  if (event.type === 'call.human_detected') return 'transferring';
  if (event.type === 'call.transferred' && event.data && event.data.bridged === true)
    return 'connected';
  return null;
}

// ---------------------------------------------------------------- call flows

async function loadFlows() {
  const { data } = await api('/api/call-flows');
  state.flows = Array.isArray(data) ? data : [];
  const known = new Set(state.flows.map((f) => f.id));
  for (const id of state.expanded.keys()) {
    if (known.has(id)) void loadVersions(id);
    else state.expanded.delete(id);
  }
}

async function loadVersions(flowId) {
  const open = state.expanded.get(flowId) ?? { versions: null, error: null };
  open.loading = true;
  state.expanded.set(flowId, open);
  try {
    const { data } = await api(`/api/call-flows/${encodeURIComponent(flowId)}/versions`);
    open.versions = Array.isArray(data) ? data : [];
    open.error = null;
  } catch (e) {
    if (e instanceof Unauthorized) throw e;
    open.error = messageOf(e);
  } finally {
    open.loading = false;
  }
  renderFlows();
}

/** A call's end changes its flow version's counts, and may teach a flow. */
function scheduleFlowsRefresh() {
  clearTimeout(state.flowsSoon);
  state.flowsSoon = setTimeout(() => loadFlows().then(renderFlows, onRefreshError), 1500);
}

// ---------------------------------------------------------------- rendering

function el(tag, options = {}) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.testid) node.dataset.testid = options.testid;
  if (options.text !== undefined) node.textContent = options.text;
  return node;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function setData(node, key, value) {
  if (node.dataset[key] !== value) node.dataset[key] = value;
}

function setTitle(node, title) {
  if (title) {
    if (node.title !== title) node.title = title;
  } else if (node.hasAttribute('title')) node.removeAttribute('title');
}

/** Puts rows in order, moving only the ones out of place so nothing flickers. */
function placeRows(tbody, rows) {
  rows.forEach((row, i) => {
    if (tbody.children[i] !== row) tbody.insertBefore(row, tbody.children[i] ?? null);
  });
  while (tbody.children.length > rows.length) tbody.lastElementChild.remove();
}

function newestFirst(a, b) {
  return a.view.started_at < b.view.started_at ? 1 : a.view.started_at > b.view.started_at ? -1 : 0;
}

function render() {
  renderActive();
  renderHistory();
  renderFlows();
}

function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});
const dateAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

function formatWhen(iso) {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const today = new Date();
  return at.toDateString() === today.toDateString() ? timeOnly.format(at) : dateAndTime.format(at);
}

function shownPhase(entry) {
  const phase = entry.view.phase;
  return entry.hint && PHASE_RANK[entry.hint] > PHASE_RANK[phase] ? entry.hint : phase;
}

/**
 * Hold seconds as of now. The API counted them when it answered; counting on
 * from that moment keeps the timer right even when this computer's clock and
 * the server's disagree. Within one hold it never goes back a second.
 */
function holdNow(entry, phase) {
  const { view } = entry;
  if (phase !== 'holding' || !view.hold_started_at) return view.hold_seconds;
  const counted = view.hold_seconds + Math.floor((performance.now() - entry.anchor) / 1000);
  if (entry.holdKey === view.hold_started_at) entry.shownHold = Math.max(entry.shownHold, counted);
  else {
    entry.holdKey = view.hold_started_at;
    entry.shownHold = counted;
  }
  return entry.shownHold;
}

function companyCell() {
  const td = el('td', { className: 'who' });
  td.append(
    el('div', { className: 'company', testid: 'call-company' }),
    el('div', { className: 'sub mono', testid: 'call-number' }),
  );
  return td;
}

function fillCompany(td, view) {
  setText(td.children[0], view.company);
  setText(td.children[1], view.phone_number);
}

function newActiveRow(id) {
  const row = el('tr', { testid: 'call-row' });
  row.dataset.callId = id;
  const phase = el('td');
  phase.append(el('span', { className: 'badge', testid: 'call-phase' }));
  const step = el('td', { className: 'step' });
  step.append(
    el('div', { className: 'step-description', testid: 'call-step' }),
    el('span', { className: 'tag', testid: 'call-step-type' }),
  );
  const hold = el('td', { className: 'num' });
  hold.append(el('span', { className: 'timer', testid: 'hold-timer' }));
  const heard = el('td', { className: 'heard' });
  heard.append(el('div', { className: 'transcript', testid: 'call-transcript' }));
  row.append(companyCell(), phase, step, hold, heard);
  return row;
}

function fillActiveRow(entry) {
  const { view, row } = entry;
  const [who, phaseCell, stepCell, holdCell, heardCell] = row.children;
  const phase = shownPhase(entry);
  setData(row, 'phase', phase);
  fillCompany(who, view);

  const badge = phaseCell.firstElementChild;
  setData(badge, 'phase', phase);
  setText(badge, Object.hasOwn(PHASE_LABELS, phase) ? PHASE_LABELS[phase] : String(phase));

  const [description, type] = stepCell.children;
  setText(description, view.step ? view.step.description || view.step.id : '—');
  setText(type, view.step ? view.step.type : '');
  type.hidden = !view.step;
  setTitle(description, view.step ? `step ${view.step.id}` : '');

  const timer = holdCell.firstElementChild;
  const seconds = holdNow(entry, phase);
  const ticking = phase === 'holding';
  setData(timer, 'seconds', String(seconds));
  setData(timer, 'ticking', String(ticking));
  setText(timer, ticking || seconds > 0 ? formatDuration(seconds) : '—');

  const transcript = heardCell.firstElementChild;
  setText(transcript, view.last_transcript ?? '—');
  setTitle(transcript, view.last_transcript ?? '');
  setData(transcript, 'empty', String(!view.last_transcript));
}

function renderActive() {
  const entries = [...state.active.values()].sort(newestFirst);
  for (const entry of entries) {
    entry.row ??= newActiveRow(entry.view.id);
    fillActiveRow(entry);
  }
  placeRows(
    ui.activeRows,
    entries.map((e) => e.row),
  );
  ui.activeEmpty.hidden = entries.length > 0;
  setText(ui.activeCount, String(entries.length));
}

function flowName(flow) {
  if (!flow) return null;
  return state.flows.find((f) => f.id === flow.id)?.name ?? null;
}

function newHistoryRow(id) {
  const row = el('tr', { testid: 'history-row' });
  row.dataset.callId = id;
  const outcome = el('td');
  outcome.append(el('span', { className: 'badge', testid: 'history-outcome' }));
  const flow = el('td', { className: 'flow' });
  const ref = el('div', { className: 'sub mono flow-ref', testid: 'history-flow' });
  ref.append(el('span', { className: 'flow-id' }), el('span', { className: 'flow-version' }));
  flow.append(el('div', { className: 'flow-name', testid: 'history-flow-name' }), ref);
  row.append(
    companyCell(),
    outcome,
    el('td', { className: 'reason', testid: 'history-reason' }),
    el('td', { className: 'num', testid: 'history-hold' }),
    flow,
    el('td', { className: 'when', testid: 'history-started' }),
    el('td', { className: 'when', testid: 'history-ended' }),
  );
  return row;
}

function fillHistoryRow(entry) {
  const { view, row } = entry;
  const [who, outcomeCell, reason, hold, flowCell, started, ended] = row.children;
  const outcome = view.outcome ?? 'unknown';
  setData(row, 'phase', 'ended');
  setData(row, 'outcome', outcome);
  fillCompany(who, view);
  const badge = outcomeCell.firstElementChild;
  setData(badge, 'outcome', outcome);
  setText(badge, outcome);
  setText(reason, view.reason ?? '—');
  setText(hold, view.hold_seconds > 0 ? formatDuration(view.hold_seconds) : '—');
  const [name, ref] = flowCell.children;
  setText(name, flowName(view.flow) ?? (view.flow ? '' : 'explored'));
  setText(ref.children[0], view.flow ? view.flow.id : '');
  setText(ref.children[1], view.flow ? `@${view.flow.version}` : '');
  setTitle(ref, view.flow ? `${view.flow.id} version ${view.flow.version}` : '');
  setText(started, formatWhen(view.started_at));
  setTitle(started, view.started_at);
  setText(ended, formatWhen(view.ended_at));
  setTitle(ended, view.ended_at ?? '');
}

function renderHistory() {
  let entries = [...state.history.values()].sort(newestFirst);
  if (entries.length > HISTORY_KEEP) {
    for (const dropped of entries.slice(HISTORY_KEEP)) state.history.delete(dropped.view.id);
    entries = entries.slice(0, HISTORY_KEEP);
  }
  for (const entry of entries) {
    entry.row ??= newHistoryRow(entry.view.id);
    fillHistoryRow(entry);
  }
  placeRows(
    ui.historyRows,
    entries.map((e) => e.row),
  );
  ui.historyEmpty.hidden = entries.length > 0;
  ui.historyMore.hidden = !state.historyNext;
  setText(ui.historyCount, String(entries.length));
}

function renderFlows() {
  const focused = document.activeElement?.closest?.('[data-testid="flow-row"]')?.dataset.flowId;
  const rows = [];
  for (const flow of state.flows) {
    rows.push(flowRow(flow));
    const open = state.expanded.get(flow.id);
    if (open) rows.push(versionsRow(flow, open));
  }
  // Flows change seldom and have no timer: building them afresh is simplest.
  ui.flowRows.replaceChildren(...rows);
  // ...but the button a person just pressed keeps the keyboard focus.
  if (focused)
    ui.flowRows
      .querySelector(`tr[data-flow-id="${CSS.escape(focused)}"] [data-testid="flow-toggle"]`)
      ?.focus();
  ui.flowsEmpty.hidden = state.flows.length > 0;
  setText(ui.flowsCount, String(state.flows.length));
  // The names in the history come from the flows.
  for (const entry of state.history.values()) if (entry.row) fillHistoryRow(entry);
}

function flowRow(flow) {
  const row = el('tr', { testid: 'flow-row' });
  row.dataset.flowId = flow.id;
  const name = el('td', { className: 'who' });
  name.append(
    el('div', { className: 'company', testid: 'flow-name', text: flow.name }),
    el('div', { className: 'sub mono', text: flow.id }),
  );
  const toggle = el('button', {
    className: 'link-button',
    testid: 'flow-toggle',
    text: state.expanded.has(flow.id) ? 'Hide versions' : 'Versions',
  });
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', String(state.expanded.has(flow.id)));
  toggle.addEventListener('click', () => {
    if (state.expanded.has(flow.id)) {
      state.expanded.delete(flow.id);
      renderFlows();
    } else {
      state.expanded.set(flow.id, { versions: null, error: null, loading: true });
      renderFlows();
      loadVersions(flow.id).catch(onRefreshError);
    }
  });
  const action = el('td', { className: 'action' });
  action.append(toggle);
  row.append(
    name,
    el('td', { text: flow.company }),
    el('td', { className: 'mono', text: flow.phone_number }),
    el('td', { className: 'num', testid: 'flow-latest', text: `v${flow.version}` }),
    el('td', { className: 'num good', text: String(flow.success_count) }),
    el('td', { className: 'num bad', text: String(flow.failure_count) }),
    action,
  );
  return row;
}

function versionsRow(flow, open) {
  const row = el('tr', { className: 'versions', testid: 'flow-versions' });
  row.dataset.flowId = flow.id;
  const cell = el('td');
  cell.colSpan = 7;
  row.append(cell);
  if (open.error) {
    cell.append(
      el('p', { className: 'error', text: `Could not load the versions: ${open.error}` }),
    );
    return row;
  }
  if (!open.versions) {
    cell.append(el('p', { className: 'notice', text: 'Loading versions…' }));
    return row;
  }
  const table = el('table', { className: 'inner' });
  const head = el('tr');
  for (const [title, numeric] of [
    ['Version', true],
    ['Source', false],
    ['Steps', true],
    ['Connected', true],
    ['Failed', true],
    ['Created', false],
  ]) {
    const th = el('th', { text: title, className: numeric ? 'num' : '' });
    th.scope = 'col';
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const v of open.versions) {
    const tr = el('tr', { testid: 'flow-version' });
    tr.dataset.version = String(v.version);
    const source = el('td');
    source.append(el('span', { className: 'tag', text: v.source }));
    tr.append(
      el('td', { className: 'num', text: `v${v.version}` }),
      source,
      el('td', { className: 'num', text: String(v.steps) }),
      el('td', { className: 'num good', text: String(v.success_count) }),
      el('td', { className: 'num bad', text: String(v.failure_count) }),
      el('td', { className: 'when', text: formatWhen(v.created_at) }),
    );
    tbody.append(tr);
  }
  table.append(thead, tbody);
  cell.append(table);
  return row;
}

void boot();
