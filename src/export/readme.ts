import type { Metrics } from '../core/evaluator.js';
import type { ModelData, ModelKind } from '../core/exportable.js';

interface ReadmeInfo {
  readonly dir: string;
  readonly experiment: string;
  readonly trial: number;
  readonly key: string;
  readonly space: string;
  readonly fidelity: number | null;
  readonly unit: string | undefined;
  readonly metrics: Metrics;
  readonly data: ModelData;
  readonly kind: ModelKind;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(4));

/** The README.md of an exported model folder: what it is and how to load it. */
export function modelReadme(i: ReadmeInfo): string {
  const [h, w, c] = i.data.shape;
  // A classifier of RGB data (an image-folder dataset) takes RGB input; the rest gray.
  const input = c === 3 ? 'toRgbInput' : 'toGrayInput';
  const usage =
    i.kind === 'classifier'
      ? {
          cli: `npx tsnas predict --model ${i.dir} image.png --top 3               # the 3 most probable classes as JSON`,
          ts: `const probabilities = model.classify?.(${input}(readImage('image.png'), ${w}, ${h})); // by label: ${i.data.classes.slice(0, 3).join(', ')}, ...`,
        }
      : {
          cli: `npx tsnas predict --model ${i.dir} image.png --draw out/          # detections as JSON; boxes drawn into out/`,
          ts: `const detections = model.detect?.(toGrayInput(readImage('image.png'), ${w}, ${h}));  // [{ box, label, score }]`,
        };
  return `# tsnas model: trial ${i.trial} of ${i.experiment}

Architecture (${i.space}): \`${i.key}\`
Trained ${i.fidelity === null ? '' : `to ${i.fidelity} ${i.unit ?? ''} `}with the experiment's evaluator.
Input: ${h}x${w}x${c} images, values in [0, 1]; classes: ${i.data.classes.join(', ')}.

| metric | value |
|---|---|
${Object.entries(i.metrics)
  .map(([k, v]) => `| ${k} | ${fmt(v)} |`)
  .join('\n')}

Files: \`genotype.json\` (the architecture and its space options), \`model.json\` (a TensorFlow.js
weights manifest: \`modelTopology\` holds the space, genotype and network config, \`weightsManifest\`
the weights of the \`.bin\` shards), \`metrics.json\` (the metrics above and the trial's in the search).

\`\`\`sh
${usage.cli}
npx tsnas train --genotype ${i.dir}/genotype.json               # train the architecture again
\`\`\`

\`\`\`ts
import { loadModel, loadRegistries, readImage, ${input} } from 'tsnas';
const model = await loadModel('${i.dir}', { registries: loadRegistries }); // the same network, these weights
${usage.ts}
model.dispose();
\`\`\`
`;
}
