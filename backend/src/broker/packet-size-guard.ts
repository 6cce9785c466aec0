import { Duplex } from 'node:stream';
import type net from 'node:net';

/**
 * Follows the MQTT packet boundaries of a byte stream by reading each fixed header
 * (one type byte, then the remaining length as a 1 to 4 byte varint), so that a packet
 * announcing more than `maxBytes` is refused before its body arrives: the MQTT parser
 * would otherwise buffer the whole packet, however large, before anyone could look at it.
 */
export class PacketLengthChecker {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;

  constructor(readonly maxBytes: number) {}

  /** Takes the next bytes of the stream; returns why the stream must stop, or null. */
  accept(chunk: Buffer): string | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
        if (this.bodyLeft === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.lengthBytes = 0;
        continue;
      }
      const problem = this.lengthByte(byte);
      if (problem) return problem;
    }
    return null;
  }

  private lengthByte(byte: number): string | null {
    this.length += (byte & 0x7f) * 128 ** this.lengthBytes;
    this.lengthBytes++;
    if (byte & 0x80) return this.lengthBytes === 4 ? 'malformed remaining length' : null;
    if (this.length > this.maxBytes) return `packet of ${this.length} bytes exceeds ${this.maxBytes}`;
    this.bodyLeft = this.length;
    this.state = this.length === 0 ? 'type' : 'body';
    return null;
  }
}

export class PacketTooLargeError extends Error {}

/**
 * A socket as aedes sees it, with every packet's announced length checked first: an
 * oversized packet closes the connection after at most one read of its body.
 */
export class GuardedConnection extends Duplex {
  private readonly checker: PacketLengthChecker;

  constructor(readonly socket: net.Socket, maxPacketBytes: number) {
    super();
    this.checker = new PacketLengthChecker(maxPacketBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  private onData(chunk: Buffer): void {
    const problem = this.checker.accept(chunk);
    if (problem) {
      this.destroy(new PacketTooLargeError(problem));
      return;
    }
    if (!this.push(chunk)) this.socket.pause();
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  /**
   * What was written while the stream was corked (mqtt-packet corks for each packet until the
   * next tick) or while a write was under way goes to the socket in one write: a batch's commit
   * releases hundreds of PUBACKs at once, each of two or three pieces, and one system call for
   * each piece was a visible part of the hub's CPU under load.
   */
  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    this.socket.write(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.socket.destroy();
    callback(err);
  }
}
