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
interface Tracked {
  inflight: number;
  paused: boolean;
  /** Called when the connection may go on: it handles the frames it held back. */
  onRoom: () => void;
}

export class FlowControl {
  private readonly conns = new Map<Pausable, Tracked>();
  private ingestFull = false;

  constructor(
    private readonly ingest: InflightGauge,
    private readonly perConnection: number,
    private readonly ingestLimit: number,
  ) {}

  add(socket: Pausable, onRoom: () => void = () => undefined): void {
    this.conns.set(socket, { inflight: 0, paused: false, onRoom });
    this.update(socket);
  }

  /** Forget a closed connection. */
  release(socket: Pausable): void {
    this.conns.delete(socket);
  }

  /** Frames of `socket` handled and not yet stored. */
  inflightOf(socket: Pausable): number {
    return this.conns.get(socket)?.inflight ?? 0;
  }

  /** Whether `socket` must not start another frame now. */
  holds(socket: Pausable): boolean {
    return this.ingestFull || this.inflightOf(socket) > this.perConnection;
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
    const c = this.conns.get(socket);
    if (!c) return; // closed meanwhile
    c.inflight += delta;
    this.checkIngest();
    this.update(socket);
  }

  private checkIngest(): void {
    if (this.ingestFull || this.ingest.inflightCount < this.ingestLimit) return;
    this.ingestFull = true;
    for (const s of this.conns.keys()) this.update(s);
    void this.ingest.whenInflightBelow(this.ingestLimit).then(() => {
      this.ingestFull = false;
      for (const s of this.conns.keys()) this.update(s);
    });
  }

  private update(socket: Pausable): void {
    const c = this.conns.get(socket);
    if (!c || socket.destroyed) return;
    const hold = this.holds(socket);
    if (hold && !c.paused) {
      c.paused = true;
      socket.pause();
    } else if (!hold && c.paused) {
      c.paused = false;
      // Held frames go first, before the socket reads more: they may fill the connection again.
      c.onRoom();
      if (!c.paused) socket.resume();
    }
  }
}
