import { resolve, sep } from 'node:path';
import { expect, it } from 'vitest';
import { folderFor } from '../activities/folders';

it.each(['sample-green-tariff-launch', 'stadtwerke-elbtal-2026-11-21-a1b2c3', 'v1.2'])(
  'keeps the plain id %s as the folder',
  (id) => {
    expect(folderFor(id)).toBe(id);
  },
);

it.each(['..', '.', '../../etc', 'a/b', '.hidden', 'a..b'])('keeps %s inside the outbox', (id) => {
  const folder = folderFor(id);
  expect(folder).toMatch(/^_[A-Za-z0-9_-]*-[0-9a-f]{8}$/);
  expect(resolve('/outbox', folder).startsWith(`/outbox${sep}`)).toBe(true);
});

it('never gives two ids the same folder', () => {
  expect(folderFor('a/b')).not.toBe(folderFor('a_b'));
  expect(folderFor('a/b')).not.toBe(folderFor('a:b'));
  // A plain id that looks like another id's hashed folder still gets a folder of its own.
  const hashed = folderFor('a/b');
  expect(folderFor(hashed.slice(1))).not.toBe(hashed);
});
