import type { MqttClient } from 'mqtt';
import type { Packet } from 'mqtt-packet';

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: () => void, noStore?: boolean) => void;

interface Held {
  packet: Packet | null;
  released: boolean;
}

/**
 * Holds each QoS 1 PUBACK until its message is committed.
 *
 * mqtt.js handles incoming packets strictly one at a time and sends the PUBACK as soon as
 * the `handleMessage` callback runs (MQTT.js issue #691); waiting in that callback would
 * serialize ingestion to one message per commit. Instead the callback returns at once and
 * this adapter intercepts the PUBACK packet itself, sending it when `release` is called.
 *
 * This is the only code that touches the client's internals (`_sendPacket`), so the
 * `mqtt` version is pinned exactly; deferred-puback.test.ts fails if an acknowledgement
 * ever leaves before its commit. Acknowledgements held for a connection that has since
 * closed are dropped: the broker redelivers those messages on the new connection.
 */
export class DeferredPuback {
  private readonly held = new Map<number, Held>();
  private readonly send: SendPacket;

  constructor(private readonly client: MqttClient) {
    const internals = client as unknown as { _sendPacket: SendPacket };
    if (typeof internals._sendPacket !== 'function') {
      throw new Error('mqtt client has no _sendPacket: the pinned mqtt version changed; review DeferredPuback');
    }
    this.send = internals._sendPacket.bind(client);
    internals._sendPacket = (packet, cb, cbStorePut, noStore) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined) {
        const h = this.held.get(packet.messageId);
        if (h && !h.released) {
          h.packet = packet;
          cb?.(); // let the client read the next packet now
          return;
        }
        if (h) this.held.delete(packet.messageId);
      }
      this.send(packet, cb, cbStorePut, noStore);
    };
    // A new or lost connection makes every held acknowledgement meaningless.
    client.on('connect', () => this.held.clear());
    client.on('close', () => this.held.clear());
  }

  /** Number of acknowledgements being held. */
  get size(): number {
    return this.held.size;
  }

  /**
   * Starts holding the PUBACK of `messageId`; call before the `handleMessage` callback.
   * The returned function sends it (once), unless the connection changed meanwhile.
   */
  hold(messageId: number): () => void {
    const entry: Held = { packet: null, released: false };
    this.held.set(messageId, entry);
    return () => {
      if (this.held.get(messageId) !== entry) return; // connection changed: redelivery will follow
      if (!entry.packet) {
        entry.released = true; // PUBACK not produced yet: let it through when it is
        return;
      }
      this.held.delete(messageId);
      if (this.client.connected) this.send(entry.packet);
    };
  }
}
