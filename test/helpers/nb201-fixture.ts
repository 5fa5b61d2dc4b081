import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NB201_OPS, toArchString, type Nb201Op } from '../../src/spaces/nasbench201/space.js';

/** Where the real tables live in this workplace (CI has them beside the project). */
export const REAL_NB201_DIR = join(process.cwd(), '..', 'shared', 'data', 'nasbench201');

/** Every NAS-Bench-201 architecture in table order (index = base-5 digits of the ops). */
export function allArchs(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 5 ** 6; i++) {
    const edges: Nb201Op[] = [];
    for (let e = 0, x = i; e < 6; e++, x = Math.floor(x / 5)) edges.push(NB201_OPS[x % 5] as Nb201Op);
    out.push(toArchString({ edges }));
  }
  return out;
}

/**
 * A synthetic, complete table: accuracy grows with the number of 3x3 convolutions and falls with
 * `none` edges, so the optimum is known (all nor_conv_3x3). Returns the folder holding the CSV.
 */
export function writeSyntheticTable(dataset = 'cifar100', mutate?: (lines: string[]) => string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsnas-nb201-'));
  const lines = ['file id,arch str,cfg name,C,N,train accuracy,validation accuracy,test accuracy'];
  allArchs().forEach((arch, i) => {
    const conv3 = (arch.match(/nor_conv_3x3/g) ?? []).length;
    const none = (arch.match(/none/g) ?? []).length;
    const val = 40 + 5 * conv3 - 3 * none + (i % 7) * 0.01;
    lines.push(`${i},${arch},infer.tiny,16,5,${val + 20},${val},${val - 0.5}`);
  });
  writeFileSync(join(dir, `nasbench201_${dataset}.csv`), (mutate ? mutate(lines) : lines).join('\n') + '\n');
  return dir;
}
