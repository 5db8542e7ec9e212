declare module 'sip' {
  /**
   * The `sip` package ships no types. This is the part of it the simulated
   * carrier's SIP face uses: its parser, its transaction layer over UDP,
   * and its helpers for responses and URIs, as the package's source has them.
   */
  export interface SipUri {
    schema: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params: Record<string, string | null | undefined>;
    headers: Record<string, string>;
  }
  export interface NameAddr {
    name?: string;
    uri: string;
    params: Record<string, string | null | undefined>;
  }
  export interface Via {
    version?: string;
    protocol?: string;
    host?: string;
    port?: number;
    params: Record<string, string | number | null | undefined>;
  }
  export interface CSeq {
    seq: number;
    method: string;
  }
  export interface SipHeaders {
    to: NameAddr;
    from: NameAddr;
    'call-id': string;
    cseq: CSeq;
    via: Via[];
    contact?: NameAddr[] | string;
    'content-type'?: string;
    'content-length'?: number;
    [name: string]: unknown;
  }
  export interface SipRequest {
    method: string;
    uri: string;
    version?: string;
    headers: SipHeaders;
    content: string;
  }
  export interface SipResponse {
    status: number;
    reason: string;
    version?: string;
    headers: SipHeaders;
    content: string;
  }
  export interface Remote {
    protocol: string;
    address: string;
    port: number;
  }
  export interface SipStack {
    /** A request goes out in a client transaction whose responses reach `callback`; a response, in its server transaction. */
    send(message: SipRequest | SipResponse, callback?: (response: SipResponse) => void): void;
    destroy(): void;
    /** A URI that sends over one flow (transport, far and near address) rather than where its host resolves to. */
    encodeFlowUri(flow: {
      protocol: string;
      address: string;
      port: number;
      local: { address: string; port: number };
    }): SipUri;
    /** The host this stack takes for its own: a request to it goes only over a flow. */
    hostname(): string;
  }
  export interface StackOptions {
    address?: string;
    port?: number;
    publicAddress?: string;
    hostname?: string;
    udp?: boolean;
    tcp?: boolean;
    logger?: {
      error?: (e: unknown) => void;
      send?: (m: unknown, target: unknown) => void;
      recv?: (m: unknown, remote: unknown) => void;
    };
  }
  export function create(
    options: StackOptions,
    onRequest: (request: SipRequest, remote: Remote) => void,
  ): SipStack;
  export function makeResponse(
    request: SipRequest,
    status: number,
    reason: string,
    extension?: { headers?: Partial<SipHeaders>; content?: string },
  ): SipResponse;
  export function parseUri(uri: string): SipUri | undefined;
  export function stringifyUri(uri: SipUri): string;
  export function generateBranch(): string;
}
