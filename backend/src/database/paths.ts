import { fileURLToPath } from 'node:url';

/** The repository's `db/` folder (migrations and seed), resolved from the built backend. */
export const DB_DIR = fileURLToPath(new URL('../../../db/', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));
export const SITES_SEED_FILE = fileURLToPath(new URL('../../../db/seed/sites.json', import.meta.url));
