import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAYLOAD_DIRECTORY = fileURLToPath(new URL('../payloads/', import.meta.url));

/** One distinct payload and the list it was first found in. */
export interface Payload {
  readonly text: string;
  readonly source: string;
}

/** What one list contributed: its lines, and how many of them no earlier list had. */
export interface PayloadSource {
  readonly file: string;
  /** the list's first line: the public repository and path it was taken from */
  readonly origin: string;
  readonly lines: number;
  readonly distinct: number;
}

export interface PayloadCorpus {
  readonly payloads: readonly Payload[];
  readonly sources: readonly PayloadSource[];
}

/**
 * Every list under payloads/, one payload per line, deduplicated across lists in file-name
 * order. The first line of each list names where it came from and is not a payload.
 */
export function loadPayloadCorpus(directory: string = PAYLOAD_DIRECTORY): PayloadCorpus {
  const seen = new Set<string>();
  const payloads: Payload[] = [];
  const sources: PayloadSource[] = [];
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.txt')).sort()) {
    const [origin = '', ...lines] = readFileSync(join(directory, file), 'utf8').split('\n');
    const texts = lines.map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
    let distinct = 0;
    for (const text of texts) {
      if (seen.has(text)) continue;
      seen.add(text);
      payloads.push({ text, source: file });
      distinct++;
    }
    sources.push({ file, origin, lines: texts.length, distinct });
  }
  return { payloads, sources };
}
