/**
 * The part of SPDY/3.1 that Kubernetes streaming (moby/spdystream) uses, over any byte transport: SYN_STREAM /
 * SYN_REPLY with zlib-compressed header blocks (one compression context per direction, SPDY dictionary), DATA with
 * FIN, RST_STREAM, PING echo, GOAWAY. Flow control is not enforced (spdystream neither sends nor honours
 * WINDOW_UPDATE). Header blocks we send are stored (uncompressed) deflate blocks, which any inflater reads; the ones
 * we receive are inflated with the dictionary.
 */
import { constants, inflateSync } from 'node:zlib';
import { SPDY_DICTIONARY } from './dictionary.ts';

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const SETTINGS = 4;
const PING = 6;
const GOAWAY = 7;
const HEADERS = 8;
const WINDOW_UPDATE = 9;
const FLAG_FIN = 0x01;
/** RST_STREAM statuses. */
export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;
const MAX_DATA = 0xffffff;

export type Headers = Record<string, string>;

export interface SpdyStream {
  readonly id: number;
  readonly headers: Headers;
  write(data: Buffer): void;
  /** Half-closes our side (DATA with FIN). */
  end(): void;
  reset(status?: number): void;
  onData(handler: (data: Buffer) => void): void;
  /** The peer half-closed (FIN) or reset the stream. */
  onEnd(handler: () => void): void;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function dataFrame(id: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(id & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

function encodeHeaderBlock(h: Headers): Buffer {
  const parts: Buffer[] = [u32(Object.keys(h).length)];
  for (const [k, v] of Object.entries(h)) {
    const name = Buffer.from(k.toLowerCase(), 'utf8');
    const value = Buffer.from(v, 'utf8');
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

function decodeHeaderBlock(b: Buffer): Headers {
  const out: Headers = {};
  let at = 0;
  const n = b.readUInt32BE(at);
  at += 4;
  for (let i = 0; i < n; i++) {
    const nl = b.readUInt32BE(at);
    const name = b.subarray(at + 4, at + 4 + nl).toString('utf8').toLowerCase();
    at += 4 + nl;
    const vl = b.readUInt32BE(at);
    out[name] = b.subarray(at + 4, at + 4 + vl).toString('utf8').split('\0')[0] ?? '';
    at += 4 + vl;
  }
  return out;
}

/**
 * Our side of the header compression: a zlib stream of stored blocks, each header block followed by the empty
 * stored block a sync flush writes (Go's inflater hands out what it decoded only at such a block).
 */
class HeaderCompressor {
  private started = false;
  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    for (let at = 0; at < block.length; at += 0xffff) parts.push(storedBlock(block.subarray(at, at + 0xffff)));
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

function storedBlock(chunk: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte
  head.writeUInt16LE(chunk.length, 1);
  head.writeUInt16LE(~chunk.length & 0xffff, 3);
  return Buffer.concat([head, chunk]);
}

/** The peer's side: one inflate context across all its header blocks (re-run over the whole input; blocks are tiny). */
class HeaderDecompressor {
  private input: Buffer[] = [];
  private produced = 0;
  decompress(compressed: Buffer): Buffer {
    this.input.push(compressed);
    const all = inflateSync(Buffer.concat(this.input), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const block = all.subarray(this.produced);
    this.produced = all.length;
    return block;
  }
}

class Stream implements SpdyStream {
  private dataHandlers: Array<(d: Buffer) => void> = [];
  private endHandlers: Array<() => void> = [];
  private pending: Buffer[] = [];
  remoteClosed = false;
  localClosed = false;
  replied?: () => void;
  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: Headers,
  ) {}
  write(data: Buffer): void {
    if (this.localClosed) return;
    for (let at = 0; at < data.length; at += MAX_DATA) this.session.send(dataFrame(this.id, 0, data.subarray(at, at + MAX_DATA)));
  }
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
    this.session.maybeForget(this);
  }
  reset(status = RST_CANCEL): void {
    if (this.localClosed && this.remoteClosed) return;
    this.session.send(controlFrame(RST_STREAM, 0, Buffer.concat([u32(this.id), u32(status)])));
    this.localClosed = true;
    this.remoteEnded();
  }
  onData(h: (d: Buffer) => void): void {
    this.dataHandlers.push(h);
    for (const d of this.pending.splice(0)) h(d);
  }
  onEnd(h: () => void): void {
    if (this.remoteClosed && !this.pending.length) h();
    else this.endHandlers.push(h);
  }
  received(d: Buffer): void {
    if (!this.dataHandlers.length) this.pending.push(d);
    else for (const h of this.dataHandlers) h(d);
  }
  remoteEnded(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    for (const h of this.endHandlers.splice(0)) h();
    this.session.maybeForget(this);
  }
}

export class SpdySession {
  private buf: Buffer = Buffer.alloc(0);
  private readonly streams = new Map<number, Stream>();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private nextId: number;
  private streamHandler?: (s: SpdyStream) => void;
  private closeHandlers: Array<() => void> = [];
  private closed = false;

  /** `write` puts bytes on the transport; a server answers every SYN_STREAM, a client opens streams. */
  constructor(
    private readonly write: (bytes: Buffer) => void,
    readonly role: 'client' | 'server',
  ) {
    this.nextId = role === 'client' ? 1 : 2;
  }

  send(bytes: Buffer): void {
    if (!this.closed) this.write(bytes);
  }

  maybeForget(s: Stream): void {
    if (s.localClosed && s.remoteClosed) this.streams.delete(s.id);
  }

  /** Server: called for each stream the peer opens (already answered with SYN_REPLY). */
  onStream(handler: (s: SpdyStream) => void): void {
    this.streamHandler = handler;
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Client: opens a stream and resolves once the peer replied. */
  openStream(headers: Headers): Promise<SpdyStream> {
    const id = this.nextId;
    this.nextId += 2;
    const s = new Stream(this, id, headers);
    this.streams.set(id, s);
    const payload = Buffer.concat([u32(id), u32(0), Buffer.from([0, 0]), this.compressor.compress(encodeHeaderBlock(headers))]);
    return new Promise((resolve, reject) => {
      s.replied = () => resolve(s);
      s.onEnd(() => reject(new Error(`stream ${id} was reset`)));
      this.send(controlFrame(SYN_STREAM, 0, payload));
    });
  }

  /** Feeds bytes from the transport; frames may be split or joined arbitrarily. */
  receive(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 8 && !this.closed) {
      const length = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + length) break;
      const frame = this.buf.subarray(0, 8 + length);
      this.buf = this.buf.subarray(8 + length);
      try {
        this.frame(frame);
      } catch {
        this.goAway(1);
        return;
      }
    }
  }

  private frame(f: Buffer): void {
    const flags = f[4];
    const payload = f.subarray(8);
    if (!(f[0] & 0x80)) {
      const s = this.streams.get(f.readUInt32BE(0) & 0x7fffffff);
      if (!s) return;
      if (payload.length) s.received(Buffer.from(payload));
      if (flags & FLAG_FIN) s.remoteEnded();
      return;
    }
    const type = f.readUInt16BE(2);
    switch (type) {
      case SYN_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(this.decompressor.decompress(payload.subarray(10)));
        const s = new Stream(this, id, headers);
        this.streams.set(id, s);
        this.send(controlFrame(SYN_REPLY, 0, Buffer.concat([u32(id), this.compressor.compress(encodeHeaderBlock({}))])));
        if (flags & FLAG_FIN) s.remoteEnded();
        if (this.streamHandler) this.streamHandler(s);
        else s.reset(RST_PROTOCOL_ERROR);
        return;
      }
      case SYN_REPLY: {
        const s = this.streams.get(payload.readUInt32BE(0) & 0x7fffffff);
        this.decompressor.decompress(payload.subarray(4));
        s?.replied?.();
        if (s && flags & FLAG_FIN) s.remoteEnded();
        return;
      }
      case HEADERS:
        this.decompressor.decompress(payload.subarray(4));
        return;
      case RST_STREAM: {
        const s = this.streams.get(payload.readUInt32BE(0) & 0x7fffffff);
        if (s) {
          s.localClosed = true;
          s.remoteEnded();
        }
        return;
      }
      case PING:
        this.send(controlFrame(PING, 0, Buffer.from(payload)));
        return;
      case GOAWAY:
        this.shutdown();
        return;
      case SETTINGS:
      case WINDOW_UPDATE:
      default:
        return;
    }
  }

  /** Sends GOAWAY and ends every stream. */
  goAway(status = 0): void {
    if (this.closed) return;
    this.send(controlFrame(GOAWAY, 0, Buffer.concat([u32(0), u32(status)])));
    this.shutdown();
  }

  /** The transport is gone: every stream ends. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) {
      s.localClosed = true;
      s.remoteEnded();
    }
    this.streams.clear();
    for (const h of this.closeHandlers.splice(0)) h();
  }
}
