/** A thin JSON client of the REST API, for the command-line tools. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  get<T>(route: string): Promise<T> {
    return this.send<T>('GET', route);
  }

  post<T>(route: string, body?: unknown): Promise<T> {
    return this.send<T>('POST', route, body);
  }

  private async send<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok)
      throw new Error(`${method} ${route} failed (${response.status}): ${JSON.stringify(json)}`);
    return json as T;
  }
}

/** A call as GET /api/calls/:id returns it, in the fields the tools read. */
export interface CallStatusView {
  id: string;
  phase: string;
  step: { id: string; type: string; description: string } | null;
  hold_seconds: number;
  last_transcript: string | null;
  outcome: string | null;
  reason: string | null;
  decisions: { rules: number; model: number };
  flow: { id: string; version: number } | null;
  dials: number | null;
}
