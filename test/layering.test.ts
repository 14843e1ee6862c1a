import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/paths';

// The rooms of the house and what each may import; the test reads the import statements of every source file.
const ROOMS = [
  'domain',
  'workflows',
  'activities',
  'policies',
  'client',
  'cli',
  'worker',
  'devserver',
  'eval',
  'scripts',
  'bench',
  'audit',
  'codec',
  'config',
  'keys',
  'store',
];

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(resolve(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(resolve(PROJECT_ROOT, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    const spec = match[3] ?? '';
    const to = spec.startsWith('.') ? resolveModule(file, spec) : spec;
    found.push({ from: file, to, typeOnly: Boolean(match[2]) });
  }
  for (const match of text.matchAll(/import\('([^']+)'\)/g)) {
    const spec = match[1] ?? '';
    found.push({ from: file, to: spec.startsWith('.') ? resolveModule(file, spec) : spec, typeOnly: false });
  }
  return found;
}

function resolveModule(file: string, spec: string): string {
  const base = relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), spec));
  const candidates = [`${base}.ts`, join(base, 'index.ts'), base];
  return candidates.find((c) => files.includes(c)) ?? base;
}

const files = ROOMS.flatMap(sourceFiles);
const imports = files.flatMap(importsOf);
const room = (path: string) => path.split('/')[0] ?? '';

describe('layering', () => {
  it('reads the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(60);
    expect(imports.length).toBeGreaterThan(150);
  });

  it('keeps domain/ free of any runtime: only domain files, zod, RFC 8785 JSON, hashing, signatures and Temporal common types', () => {
    const allowed = /^(domain\/|zod$|canonicalize$|@noble\/hashes\/|@noble\/ed25519$|@temporalio\/common$)/;
    const offending = imports.filter((i) => room(i.from) === 'domain' && !allowed.test(i.to));
    expect(offending).toEqual([]);
  });

  it('keeps workflows/ in the sandbox: the workflow SDK and its common types, domain, and activities as types only', () => {
    const offending = imports.filter(
      (i) =>
        room(i.from) === 'workflows' &&
        !/^(workflows\/|domain\/|@temporalio\/(workflow|common)$)/.test(i.to) &&
        !(i.typeOnly && i.to.startsWith('activities/')),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the CLI a face: nothing outside cli/ imports it, and client/ knows no exit codes', () => {
    expect(imports.filter((i) => room(i.from) !== 'cli' && room(i.to) === 'cli')).toEqual([]);
    expect(imports.filter((i) => room(i.from) === 'client' && /^(cli|worker|devserver)\//.test(i.to))).toEqual([]);
  });

  it('keeps keys and settings below client and worker: keys/ and config/ import only domain, each other and libraries', () => {
    const offending = imports.filter(
      (i) =>
        ['keys', 'config'].includes(room(i.from)) &&
        /^(client|cli|worker|activities|codec|devserver|audit)\//.test(i.to),
    );
    expect(offending).toEqual([]);
    // Activities cause effects and never reach up into the client library or the worker that hosts them.
    expect(imports.filter((i) => room(i.from) === 'activities' && /^(client|cli|worker)\//.test(i.to))).toEqual([]);
  });

  it('reads the environment in one place: only config/settings.ts touches process.env among the runtime rooms', () => {
    const runtime = files.filter((f) => !['scripts', 'bench', 'eval'].includes(room(f)) && f !== 'config/settings.ts');
    const readers = runtime.filter((f) =>
      /process\.env\.[A-Z_]+|process\.env\[/.test(readFileSync(resolve(PROJECT_ROOT, f), 'utf8')),
    );
    // PATH for finding binaries and the child processes' own environment are the operating system's, not settings.
    expect(readers).toEqual(['devserver/binaries.ts']);
  });

  it('rebuilds the compiled CLI on a change to any folder it can load', () => {
    const reached = new Set<string>();
    const queue = ['cli/main.ts'];
    for (let file = queue.pop(); file; file = queue.pop()) {
      if (reached.has(file)) continue;
      reached.add(file);
      for (const i of imports) if (i.from === file && !i.typeOnly && files.includes(i.to)) queue.push(i.to);
    }
    const watched = /const SOURCE_DIRS = \[([^\]]*)\]/.exec(
      readFileSync(resolve(PROJECT_ROOT, 'bin/build-cli.js'), 'utf8'),
    );
    const dirs = [...(watched?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(reached.size).toBeGreaterThan(50);
    expect([...new Set([...reached].map(room))].filter((r) => !dirs.includes(r))).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) if (files.includes(i.to)) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file]);
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
