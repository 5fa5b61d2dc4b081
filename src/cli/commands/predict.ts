import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { classifyImages } from '../../export/classify.js';
import { loadModel } from '../../export/load-model.js';
import { predictImages } from '../../export/predict.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../tensor/index.js';
import { loadRegistries } from '../../wiring/registries.js';
import { intFlag, numFlag } from '../kv.js';

interface Flags {
  model: string;
  threshold: string;
  draw?: string;
  top?: string;
  backend: string;
}

/** Classes a classifier's prediction lists when --top is not given. */
const DEFAULT_TOP = 3;

export function registerPredict(program: Command): void {
  program
    .command('predict <images...>')
    .description('run an exported model (tsnas export) on PNG or JPEG files: prints a detector\'s detections, or a classifier\'s top classes, as JSON')
    .requiredOption('--model <dir>', 'folder written by tsnas export')
    .option('--threshold <score>', 'lowest score reported (detectors)', '0.3')
    .option('--draw <dir>', 'also write each image with its boxes drawn (<name>.boxes.png) into this folder (detectors)')
    .option('--top <k>', `how many of the most probable classes to print (classifiers; default ${DEFAULT_TOP})`)
    .option('--backend <name>', `tensor backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .action(async (images: string[], flags: Flags) => {
      const threshold = numFlag('--threshold', flags.threshold) as number;
      if (!(threshold >= 0 && threshold <= 1)) throw new ConfigError('--threshold', `expected a score in [0, 1], got ${flags.threshold}`);
      const top = flags.top === undefined ? DEFAULT_TOP : (intFlag('--top', flags.top) as number);
      if (!(top >= 1)) throw new ConfigError('--top', `expected a whole number of classes, at least 1, got ${flags.top}`);
      const model = await loadModel(flags.model, { registries: loadRegistries, backend: flags.backend as BackendChoice });
      try {
        if (model.kind === 'classifier' && flags.draw !== undefined) throw new ConfigError('--draw', `model folder '${flags.model}' holds a classifier: there are no boxes to draw`);
        if (model.kind === 'detector' && flags.top !== undefined) throw new ConfigError('--top', `model folder '${flags.model}' holds a detector: --threshold chooses its detections`);
        const results = model.kind === 'classifier' ? classifyImages(model, images, { top }) : predictImages(model, images, { threshold, ...(flags.draw ? { drawDir: flags.draw } : {}) });
        process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      } finally {
        model.dispose();
      }
    });
}
