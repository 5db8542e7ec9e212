/**
 * Who handles which errand: the departments and subjects phone menus of
 * banks, utilities, carriers, insurers, retailers, airlines, clinics and
 * public offices route to, each named by a few words and short phrases that
 * callers and menus use for it. A word counts for a department when it is
 * one of these in another form, or shares a common sense with one in
 * WordNet ("invoice" is billing through "bill", "luggage" baggage through
 * "baggage"), so the lists stay short: they say what only knowledge of how
 * companies are organised can say ("the lights went out" is an outage, "my
 * card was swallowed" a card matter).
 */
export interface Department {
  /** Words matched in any form and by WordNet sense ("pay" meets "paying", "payment"). */
  words: string[];
  /** Phrases matched word by word in base form ("not working", "went out"). */
  phrases?: string[];
  /**
   * An errand of its own: an option for it is the wrong way for any other
   * ("to cancel an appointment" when booking one; "new customers" when one
   * is a customer).
   */
  errand?: boolean;
  /**
   * What an errand is about (the internet, a card, the power) rather than
   * who handles it: it counts for less, and an option about another
   * subject is not thereby for another department.
   */
  subject?: boolean;
  /** A person, who can help with anything: never another department. */
  anyErrand?: boolean;
  /**
   * Departments that handle this errand too where a menu has no option of
   * its own for it: an outage goes to technical support, a dispute to
   * billing.
   */
  alsoHandledBy?: string[];
}

export const DEPARTMENTS: Record<string, Department> = {
  billing: {
    words: [
      'bill',
      'billing',
      'invoice',
      'payment',
      'pay',
      'fee',
      'charge',
      'statement',
      'balance',
      'owe',
      'overcharge',
      'price',
      'rate',
      'due',
    ],
    phrases: ['double charged', 'charged twice'],
  },
  payment: {
    words: ['pay', 'payment', 'autopay'],
    phrases: ['make a payment', 'pay my bill', 'pay the bill', 'pay your bill'],
    errand: true,
  },
  change: {
    words: ['change', 'modify', 'reschedule', 'rebook', 'switch', 'amend'],
    errand: true,
  },
  support: {
    words: [
      'support',
      'technical',
      'tech',
      'technician',
      'repair',
      'troubleshoot',
      'problem',
      'issue',
      'fix',
      'broken',
      'trouble',
      'error',
      'glitch',
      'frozen',
      'crash',
      'dead',
      'malfunction',
      'reset',
      'restart',
      'reboot',
      'setup',
      'install',
    ],
    phrases: [
      'not working',
      'stopped working',
      "won't",
      "doesn't work",
      "can't connect",
      'keeps dropping',
      'help with',
      'set up',
      'no signal',
    ],
  },
  outage: {
    alsoHandledBy: ['support'],
    words: ['outage', 'offline', 'blackout', 'emergency', 'down'],
    phrases: [
      'no connection',
      'no service',
      'no internet',
      'no power',
      'out of service',
      'went out',
      'power out',
      'lights out',
      'is down',
      'are down',
      'gas leak',
      'smell gas',
      'downed line',
    ],
  },
  claims: {
    words: [
      'claim',
      'accident',
      'collision',
      'damage',
      'injury',
      'hail',
      'flood',
      'fire',
      'totaled',
      'crash',
      'denied',
    ],
    phrases: ['rear ended', 'fender bender', 'hit my car', 'file a claim'],
  },
  fraud: {
    alsoHandledBy: ['cards', 'dispute'],
    words: [
      'fraud',
      'fraudulent',
      'unauthorized',
      'unrecognized',
      'scam',
      'suspicious',
      'stolen',
      'theft',
    ],
    phrases: ["don't recognize", 'did not make', "didn't make", 'identity theft'],
  },
  lost: { subject: true, words: ['lost', 'missing', 'stolen', 'misplaced'] },
  speed: { alsoHandledBy: ['support'], words: ['slow', 'speed', 'lag', 'buffering', 'sluggish'] },
  cards: { subject: true, words: ['card', 'debit', 'credit', 'atm', 'pin'] },
  dispute: {
    alsoHandledBy: ['billing'],
    words: ['dispute', 'contest', 'chargeback', 'twice', 'duplicate', 'incorrectly', 'overcharged'],
    phrases: [
      'wrong charge',
      'incorrect charge',
      'charged twice',
      'double charged',
      'billed twice',
      'billed incorrectly',
      'charged me twice',
    ],
  },
  orders: {
    words: [
      'order',
      'shipment',
      'shipping',
      'delivery',
      'deliver',
      'package',
      'track',
      'tracking',
      'arrive',
      'shipped',
      'parcel',
    ],
    phrases: ['where is my'],
  },
  returns: {
    words: ['return', 'exchange', 'refund'],
    phrases: ['send back', 'send it back'],
    errand: true,
  },
  reservations: {
    words: ['reservation', 'booking', 'itinerary', 'flight', 'trip', 'ticket', 'seat'],
  },
  baggage: { words: ['baggage', 'bag', 'luggage', 'suitcase', 'carousel'] },
  appointments: {
    words: ['appointment', 'schedule', 'reschedule', 'cleaning', 'checkup', 'visit'],
  },
  sales: {
    // A purchase is as often one to dispute as one to make: only making one is buying.
    words: ['buy', 'sales', 'pricing', 'upgrade', 'quote', 'promotion', 'deal'],
    phrases: [
      'make a purchase',
      'to purchase',
      'new plan',
      'sign up',
      'new customer',
      'order new',
      'new service',
      'new account',
      'open an account',
      'new line',
      'add a line',
    ],
    errand: true,
  },
  person: {
    anyErrand: true,
    words: [
      'person',
      'human',
      'someone',
      'representative',
      'agent',
      'operator',
      'associate',
      'advocate',
      'staff',
      'specialist',
      'receptionist',
      'attendant',
    ],
    phrases: ['team member', 'talk to', 'speak with', 'speak to', 'live person'],
  },
  frontDesk: {
    words: ['reception', 'concierge', 'checkout'],
    phrases: ['front desk', 'check out', 'check in', 'late checkout'],
  },
  license: {
    words: [
      'license',
      'licence',
      'permit',
      'renewal',
      'renew',
      'driver',
      'registration',
      'title',
      'plate',
    ],
  },
  medication: {
    words: [
      'medication',
      'prescription',
      'refill',
      'drug',
      'medicine',
      'rx',
      'pharmacy',
      'pharmacist',
    ],
  },
  coverage: {
    words: [
      'coverage',
      'benefit',
      'covered',
      'deductible',
      'copay',
      'premium',
      'enrollment',
      'enroll',
    ],
  },
  financialAid: {
    words: ['scholarship', 'tuition', 'grant', 'fafsa'],
    phrases: ['financial aid', 'student loan'],
  },
  internet: {
    subject: true,
    words: ['internet', 'wifi', 'wi-fi', 'broadband', 'modem', 'router', 'connection'],
  },
  mobile: {
    subject: true,
    words: [
      'mobile',
      'cell',
      'cellphone',
      'wireless',
      'phone',
      'signal',
      'data',
      'text',
      'voicemail',
    ],
  },
  television: {
    subject: true,
    words: ['television', 'tv', 'cable', 'channel', 'remote', 'receiver', 'dvr'],
    phrases: ['cable box'],
  },
  power: { subject: true, words: ['electricity', 'electric', 'power', 'energy', 'gas', 'meter'] },
  water: { subject: true, words: ['water', 'sewer'] },
  account: {
    words: ['account', 'login', 'password', 'profile', 'username', 'address', 'name'],
    phrases: ['log in', 'sign in', 'locked out'],
  },
  loans: { words: ['loan', 'mortgage', 'lending', 'refinance', 'lender'] },
  cancel: {
    words: ['cancel', 'cancellation', 'terminate', 'termination', 'disconnect'],
    phrases: [
      'close my account',
      'close an account',
      'stop service',
      'end service',
      'stop my service',
      'shut off',
    ],
    errand: true,
  },
  moving: {
    words: ['move', 'moving', 'relocate'],
    phrases: [
      'start service',
      'connect service',
      'transfer service',
      'transfer my service',
      'new address',
      'turn on',
    ],
    errand: true,
  },
  status: {
    words: ['status', 'existing', 'pending', 'progress', 'stuck'],
    phrases: ['check on', 'update on', 'follow up'],
  },
  hours: {
    words: ['hours', 'location', 'locations', 'directions', 'address'],
    phrases: ['store hours', 'open today', 'nearest store', 'when are you open'],
    errand: true,
  },
  roadside: {
    words: ['tow', 'roadside', 'flat', 'lockout'],
    phrases: ['jump start', 'flat tire', 'locked my keys', 'broke down', 'broken down'],
  },
};
