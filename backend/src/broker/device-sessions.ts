/** What the sessions need of a connected client (an aedes Client). */
export interface SessionClient {
  readonly id: string;
  close(): void;
}

/**
 * The embedded broker's connected clients by site and by client id: a revoked or
 * rotated credential closes its site's connections at once, and one site's device cannot
 * take over another's connection by reusing its client id.
 */
export class DeviceSessions<C extends SessionClient = SessionClient> {
  private readonly bySite = new Map<string, Set<C>>();
  private readonly byId = new Map<string, { client: C; site: string | null }>();

  /** `site` null: an anonymous client. */
  add(client: C, site: string | null): void {
    this.byId.set(client.id, { client, site });
    if (site === null) return;
    let set = this.bySite.get(site);
    if (!set) this.bySite.set(site, (set = new Set()));
    set.add(client);
  }

  remove(client: C, site: string | null): void {
    if (this.byId.get(client.id)?.client === client) this.byId.delete(client.id);
    if (site === null) return;
    const set = this.bySite.get(site);
    set?.delete(client);
    if (set?.size === 0) this.bySite.delete(site);
  }

  /** Whether `clientId` is held by a connected client of another site (or anonymous vs device). */
  heldByOther(clientId: string, site: string | null): boolean {
    const holder = this.byId.get(clientId);
    return holder !== undefined && holder.site !== site;
  }

  /** Closes every connection of a site; returns how many there were. */
  disconnect(site: string): number {
    const set = this.bySite.get(site);
    if (!set) return 0;
    this.bySite.delete(site);
    for (const client of set) client.close();
    return set.size;
  }

  connectedOf(site: string): number {
    return this.bySite.get(site)?.size ?? 0;
  }
}
