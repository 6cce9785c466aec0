import type { Provider, Type } from '@nestjs/common';

/**
 * One feature of the hub as the hub assembles it: the objects it serves to Nest, its
 * controllers, and its own start and stop steps. The hub decides only the order.
 */
export interface Feature {
  readonly name: string;
  readonly providers?: Provider[];
  readonly controllers?: Type[];
  /** Runs once the feature is built, before the hub serves anything. */
  start?(): Promise<void>;
  /** Runs at shutdown, in the order the hub gives (see hub/hub.ts). */
  stop?(): Promise<void>;
}
