import type { AlertRecord } from '@tidewatch/contracts';
import type { BatchResult } from '../ingest/batch.repository.js';
import type { IngestEvents } from '../ingest/ingest-events.js';

/**
 * A committed batch as the bus hands it on: `position` orders it in the cluster's stream
 * (null on a single hub), `local` says whether this hub stored it.
 */
export type BusListener = (result: BatchResult, position: string | null, local: boolean) => void | Promise<void>;
export type AlertAnnouncementListener = (event: string, alert: AlertRecord) => void;

/**
 * What every part of a hub learns of the district's data: each committed batch, whichever
 * hub stored it, and each change of an alert, whichever hub made it. A single hub's bus is
 * in-process; a cluster's runs through Redis (redis-bus.ts). A listener that returns a
 * promise holds back the batches after it until it settles.
 */
export abstract class HubBus {
  /** Starts handing out what other hubs committed; called once every listener is in place. */
  listen(): void {}
  abstract onCommitted(listener: BusListener): () => void;
  abstract onAlert(listener: AlertAnnouncementListener): () => void;
  /** Tells every hub (this one included) that an alert changed. */
  abstract publishAlert(event: string, alert: AlertRecord): void;
  /** Tells the other hubs that the alert rules changed (this one has reloaded them). */
  abstract publishRulesChanged(): void;
  /** Called when another hub changed the alert rules. */
  abstract onRulesChanged(listener: () => void): () => void;
}

/** The bus of a hub on its own: its ingest's committed batches and its own alert changes. */
export class LocalBus extends HubBus {
  private alertListeners: AlertAnnouncementListener[] = [];

  constructor(private readonly events: IngestEvents) {
    super();
  }

  onCommitted(listener: BusListener): () => void {
    return this.events.onCommitted((result) => listener(result, null, true));
  }

  onAlert(listener: AlertAnnouncementListener): () => void {
    this.alertListeners.push(listener);
    return () => {
      this.alertListeners = this.alertListeners.filter((l) => l !== listener);
    };
  }

  publishAlert(event: string, alert: AlertRecord): void {
    for (const l of this.alertListeners) l(event, alert);
  }

  /** No other hub to tell. */
  publishRulesChanged(): void {}

  onRulesChanged(): () => void {
    return () => undefined;
  }
}
