import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BenchError } from '../errors.ts';
import { artifactCachePath, ensureArtifacts, mavenBatches } from './cache.ts';
import { sha256OfBytes } from './checksum.ts';
import { mavenPom, pipBatches, pipDownloadArgs } from './clients.ts';
import { defaultEntry, LOCK_FILE, loadLock, type MavenArtifact } from './lock.ts';
import { prepareDistributions } from './prepare.ts';

let cache: string;
const previous = process.env.BENCH_CACHE_DIR;
beforeEach(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  process.env.BENCH_CACHE_DIR = cache;
});
afterEach(() => {
  if (previous === undefined) delete process.env.BENCH_CACHE_DIR;
  else process.env.BENCH_CACHE_DIR = previous;
  fs.rmSync(cache, { recursive: true, force: true });
});

const content = Buffer.from('PK\u0003\u0004 a small stand-in jar for cache tests\n');
const artifact = (overrides: Partial<MavenArtifact> = {}): MavenArtifact => ({
  id: 'maven:org.example:tiny:1.0',
  source: 'maven',
  groupId: 'org.example',
  artifactId: 'tiny',
  version: '1.0',
  type: 'jar',
  file: 'tiny-1.0.jar',
  sha256: sha256OfBytes(content),
  size: content.length,
  into: 'libs',
  ...overrides,
});

describe('artifact cache', () => {
  it('uses a cached file whose checksum matches, without downloading', async () => {
    const file = artifactCachePath(artifact());
    expect(file).toBe(path.join(cache, 'artifacts', 'maven', 'org.example', 'tiny-1.0.jar'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    const paths = await ensureArtifacts([artifact()]);
    expect(paths.get('maven:org.example:tiny:1.0')).toBe(file);
  });

  it('refuses a corrupted cached file, naming the file, expected and actual checksums, and the fix', async () => {
    const file = artifactCachePath(artifact());
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const corrupted = Buffer.from(content);
    corrupted[10] ^= 0xff;
    fs.writeFileSync(file, corrupted);
    const error = await ensureArtifacts([artifact()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchError);
    expect((error as Error).message).toBe(
      `cached artifact ${file} does not match ${LOCK_FILE} (maven:org.example:tiny:1.0): expected sha256 ${sha256OfBytes(content)} (${content.length} bytes), ` +
        `actual sha256 ${sha256OfBytes(corrupted)} (${corrupted.length} bytes). Delete the file, or run \`npx bench prepare --force\`, to download it again.`,
    );
  });

  it('prepare stops at a corrupted cached artifact of the real lock before any download', async () => {
    const first = defaultEntry(loadLock(), 'kafka').artifacts[0]!;
    const file = artifactCachePath(first);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'not the jar');
    await expect(prepareDistributions(['kafka'])).rejects.toThrow(
      new RegExp(`^cached artifact ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not match .*expected sha256 ${first.sha256} .*actual sha256 ${sha256OfBytes('not the jar')} \\(11 bytes\\)`),
    );
    expect(fs.existsSync(path.join(cache, 'dist'))).toBe(true);
    expect(fs.readdirSync(path.join(cache, 'dist'))).toEqual([]);
  });

  it('splits Maven fetches so one pom never holds two versions of an artifact', () => {
    const a = artifact();
    const b = artifact({ id: 'maven:org.example:tiny:2.0', version: '2.0', file: 'tiny-2.0.jar' });
    const c = artifact({ id: 'maven:org.example:other:1.0', artifactId: 'other', file: 'other-1.0.jar' });
    expect(mavenBatches([a, b, c]).map((batch) => batch.map((x) => x.id))).toEqual([
      ['maven:org.example:tiny:1.0', 'maven:org.example:other:1.0'],
      ['maven:org.example:tiny:2.0'],
    ]);
  });

  it('splits pip calls by options and so that no call names a package twice (two Spark versions conflict in one pip resolution)', () => {
    const sdist = { binary: 'sdist' } as const;
    const wheel = { binary: 'wheel' } as const;
    const requests = [
      { package: 'pyspark', version: '4.2.0', pip: sdist },
      { package: 'pyspark', version: '4.1.1', pip: sdist },
      { package: 'apache-flink-libraries', version: '2.3.0', pip: wheel },
      { package: 'apache-flink-libraries', version: '2.2.1', pip: wheel },
      { package: 'other', version: '1', pip: sdist },
    ];
    expect(pipBatches(requests).map((batch) => batch.map((r) => `${r.package}==${r.version}`))).toEqual([
      ['pyspark==4.2.0', 'other==1'],
      ['pyspark==4.1.1'],
      ['apache-flink-libraries==2.3.0'],
      ['apache-flink-libraries==2.2.1'],
    ]);
  });

  it('builds client calls: pinned, no dependencies, wildcard exclusions for exact fetches', () => {
    expect(pipDownloadArgs([{ package: 'pyspark', version: '4.1.1', pip: { binary: 'sdist' } }], '/out')).toEqual([
      '-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--disable-pip-version-check', '--progress-bar', 'off', '-d', '/out', '--no-binary', 'pyspark', 'pyspark==4.1.1',
    ]);
    const pom = mavenPom([{ groupId: 'g', artifactId: 'a', version: '1' }, { groupId: 'g', artifactId: 'b', version: '[1,2)', transitive: true, exclude: ['x:y'] }]);
    expect(pom).toContain('<artifactId>a</artifactId><version>1</version><exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>');
    expect(pom).toContain('<artifactId>b</artifactId><version>[1,2)</version><exclusions><exclusion><groupId>x</groupId><artifactId>y</artifactId></exclusion></exclusions>');
  });
});
