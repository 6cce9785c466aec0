/** What flow control needs of a connection's socket. */
export interface Pausable {
  pause(): unknown;
  resume(): unknown;
  readonly destroyed: boolean;
}

/** What flow control needs of ingest: its in-flight count and a way to wait for room. */
export interface InflightGauge {
  readonly inflightCount: number;
  whenInflightBelow(limit: number): Promise<void>;
}

/**
 * Stops reading from HJ 212 connections that send faster than the hub stores: a connection
 * is paused while more than `perConnection` of its frames are handled but not yet stored,
 * and every connection while ingest has `ingestLimit` or more messages in flight. TCP then
 * pushes back on the monitor instead of the hub buffering its frames.
 */
export class FlowControl {
  /** Every open connection, with its frames in flight. */
  private readonly inflight = new Map<Pausable, number>();
  private ingestFull = false;

  constructor(
    private readonly ingest: InflightGauge,
    private readonly perConnection: number,
    private readonly ingestLimit: number,
  ) {}

  add(socket: Pausable): void {
    this.inflight.set(socket, 0);
    this.update(socket);
  }

  /** Forget a closed connection. */
  release(socket: Pausable): void {
    this.inflight.delete(socket);
  }

  /** Frames of `socket` handled and not yet stored. */
  inflightOf(socket: Pausable): number {
    return this.inflight.get(socket) ?? 0;
  }

  /** Runs one frame's work for `socket`, holding back its reads while too much is in flight. */
  async track<T>(socket: Pausable, work: () => Promise<T>): Promise<T> {
    this.count(socket, +1);
    try {
      return await work();
    } finally {
      this.count(socket, -1);
    }
  }

  private count(socket: Pausable, delta: number): void {
    const n = this.inflight.get(socket);
    if (n === undefined) return; // closed meanwhile
    this.inflight.set(socket, n + delta);
    this.checkIngest();
    this.update(socket);
  }

  private checkIngest(): void {
    if (this.ingestFull || this.ingest.inflightCount < this.ingestLimit) return;
    this.ingestFull = true;
    for (const s of this.inflight.keys()) this.update(s);
    void this.ingest.whenInflightBelow(this.ingestLimit).then(() => {
      this.ingestFull = false;
      for (const s of this.inflight.keys()) this.update(s);
    });
  }

  private update(socket: Pausable): void {
    if (socket.destroyed) return;
    if (this.ingestFull || this.inflightOf(socket) > this.perConnection) socket.pause();
    else socket.resume();
  }
}
