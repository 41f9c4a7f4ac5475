import { fromBase64, randomBytes, toBase64 } from './crypto';

/*
 * Secrets we must be able to read back (webhook signing secrets: we sign with them, so a hash
 * will not do) are sealed with AES-256-GCM under SECRETS_ENCRYPTION_KEY: a copy of the database
 * alone does not reveal them. Without a key (development, tests) they are stored as `plain:` and
 * production refuses to start without one (src/config.ts).
 */

const PLAIN = 'plain:';
const SEALED = 'v1:';


const importKey = (key: Uint8Array) => crypto.subtle.importKey('raw', key as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt']);

export async function sealSecret(secret: string, key: Uint8Array | undefined): Promise<string> {
  if (!key) return `${PLAIN}${secret}`;
  const iv = randomBytes(12);
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, await importKey(key), new TextEncoder().encode(secret)));
  return `${SEALED}${toBase64(iv)}.${toBase64(cipher)}`;
}

export async function openSecret(sealed: string, key: Uint8Array | undefined): Promise<string> {
  if (sealed.startsWith(PLAIN)) return sealed.slice(PLAIN.length);
  if (!sealed.startsWith(SEALED)) throw new Error('unknown secret format');
  if (!key) throw new Error('a sealed secret needs SECRETS_ENCRYPTION_KEY');
  const [iv, cipher] = sealed.slice(SEALED.length).split('.');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv!) as BufferSource }, await importKey(key), fromBase64(cipher!) as BufferSource);
  return new TextDecoder().decode(plain);
}
