// Evidence upload and download memory: the real Node server (scripts/start.mjs, as `npm start` runs
// it) in a child process, so the resident set measured is the server's alone. A 25 MiB PDF goes up
// as multipart through POST /v1/evidence and comes back through GET /v1/evidence/{id}/content,
// read to the end and thrown away; the peak RSS growth over the warmed-up server's baseline is
// compared with the file size. Every upload and every download runs in a freshly started server,
// so memory an earlier transfer left behind neither inflates a baseline nor hides a growth; three
// rounds each, the worst reported, since the peak depends on when the garbage collector runs.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peakRssDuring, startServer } from './server-process';
import { withThrowawayDatabase } from './throwaway-database';

const MIB = 1024 * 1024;
/** EVIDENCE_MAX_BYTES' default: the largest file a deployment accepts without configuration. */
const FILE_BYTES = 25 * MIB;
const TARGET_RATIO = 3;
const ROUNDS = 3;
const round2 = (value: number) => Math.round(value * 100) / 100;

export interface MemoryMeasure {
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  /** Peak growth divided by the file size. */
  ratio: number;
  seconds: number;
  met: boolean;
}

export interface EvidenceBenchResult {
  database: 'pglite' | 'postgres';
  fileBytes: number;
  targetRatio: number;
  rounds: number;
  /** The worst round. */
  upload: MemoryMeasure;
  uploadRatios: number[];
  download: MemoryMeasure;
  downloadRatios: number[];
}

/** `%PDF-` and random bytes: sniffed as a PDF, and nothing in the path can compress or dedupe it. */
function pdfOf(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  bytes.set(randomBytes(size));
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  return bytes;
}

async function peakDuring(pid: number, work: () => Promise<void>): Promise<MemoryMeasure> {
  const peak = await peakRssDuring(pid, work);
  return { ...peak, ratio: round2((peak.growthMb * MIB) / FILE_BYTES), met: peak.growthMb * MIB < TARGET_RATIO * FILE_BYTES };
}

async function json(response: Response) {
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${response.url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function upload(base: string, key: string, supplierId: string, bytes: Uint8Array<ArrayBuffer>, name: string): Promise<string> {
  const form = new FormData();
  form.set('supplierId', supplierId);
  form.set('kind', 'soc2_report');
  form.set('file', new Blob([bytes], { type: 'application/pdf' }), name);
  const response = await fetch(`${base}/v1/evidence`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  return (await json(response)).id as string;
}

/** Reads the content to the end, keeping nothing but its hash. */
async function download(base: string, key: string, evidenceId: string): Promise<{ bytes: number; sha256: string }> {
  const response = await fetch(`${base}/v1/evidence/${evidenceId}/content`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200 || !response.body) throw new Error(`download: ${response.status} ${await response.text()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    hash.update(value);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Until the server has run every code path once: a 1 MiB upload and download. */
async function warmUp(base: string, key: string, supplierId: string, small: Uint8Array<ArrayBuffer>): Promise<void> {
  await download(base, key, await upload(base, key, supplierId, small, 'warm-up.pdf'));
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** The round with the largest growth: peaks depend on when the garbage collector runs. */
const worst = (measures: MemoryMeasure[]) => measures.reduce((a, b) => (b.growthMb > a.growthMb ? b : a));

async function run(kind: EvidenceBenchResult['database'], env: Record<string, string>): Promise<EvidenceBenchResult> {
  const adminToken = randomBytes(24).toString('hex');
  const serverEnv = { ...env, PLATFORM_ADMIN_TOKEN: adminToken };
  const small = pdfOf(MIB);
  let server = await startServer(serverEnv);
  let key: string;
  let supplierId: string;
  try {
    const created = await json(
      await fetch(`${server.base}/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Evidence bench tenant' }),
      }),
    );
    key = (created.apiKey as { key: string }).key;
    const supplier = await json(
      await fetch(`${server.base}/v1/suppliers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Bench Evidence GmbH', country: 'DE' }),
      }),
    );
    supplierId = supplier.id as string;
  } finally {
    await server.stop();
  }

  // Each round in a freshly started, warmed-up server, with its own file (the same bytes would be
  // stored once and not written again).
  const uploads: MemoryMeasure[] = [];
  const stored: { id: string; sha256: string }[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const file = pdfOf(FILE_BYTES);
    server = await startServer(serverEnv);
    try {
      await warmUp(server.base, key, supplierId, small);
      let id = '';
      uploads.push(
        await peakDuring(server.child.pid!, async () => {
          id = await upload(server.base, key, supplierId, file, `soc2-report-${round}.pdf`);
        }),
      );
      stored.push({ id, sha256: createHash('sha256').update(file).digest('hex') });
    } finally {
      await server.stop();
    }
  }
  const downloads: MemoryMeasure[] = [];
  for (const { id, sha256 } of stored) {
    server = await startServer(serverEnv);
    try {
      await warmUp(server.base, key, supplierId, small);
      let got = { bytes: 0, sha256: '' };
      downloads.push(
        await peakDuring(server.child.pid!, async () => {
          got = await download(server.base, key, id);
        }),
      );
      if (got.bytes !== FILE_BYTES || got.sha256 !== sha256) throw new Error(`downloaded ${got.bytes} bytes, sha256 ${got.sha256}; expected ${FILE_BYTES}, ${sha256}`);
    } finally {
      await server.stop();
    }
  }
  return {
    database: kind,
    fileBytes: FILE_BYTES,
    targetRatio: TARGET_RATIO,
    rounds: ROUNDS,
    upload: worst(uploads),
    uploadRatios: uploads.map((measure) => measure.ratio),
    download: worst(downloads),
    downloadRatios: downloads.map((measure) => measure.ratio),
  };
}

/** On PGlite in a fresh data folder (what `npm start` runs) and on a throwaway PostgreSQL database. */
export async function benchEvidence(adminUrl: string): Promise<EvidenceBenchResult[]> {
  const results: EvidenceBenchResult[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'chainproof-bench-evidence-'));
  try {
    results.push(await run('pglite', { DATA_DIR: dataDir, DATABASE_URL: '' }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  results.push(await withThrowawayDatabase(adminUrl, 'evidence', (_database, url) => run('postgres', { DATABASE_URL: url })));
  return results;
}
