import { createFileDataStore } from '../activities/data-store';
import { provisionKeys } from '../keys/signing-keys';

/**
 * Signing keys for everyone in the roster who requests or decides, made locally in `keyDir` where missing: what the
 * demo (`npm start`), the load tools and the tests need to sign decisions. Returns whom it made keys for.
 */
export function provisionRosterKeys(dataDir: string, keyDir: string): string[] {
  const people = createFileDataStore(dataDir)
    .roster()
    .people.filter((p) => p.roles.some((role) => role !== 'auditor'))
    .map((p) => p.id);
  return provisionKeys(keyDir, people);
}
