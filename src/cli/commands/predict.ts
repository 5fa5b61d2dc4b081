import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { loadModel } from '../../export/load-model.js';
import { predictImages } from '../../export/predict.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../tensor/index.js';
import { loadRegistries } from '../../wiring/registries.js';
import { numFlag } from '../kv.js';

export function registerPredict(program: Command): void {
  program
    .command('predict <images...>')
    .description('run an exported model (tsnas export) on PNG or JPEG files: prints the detections as JSON')
    .requiredOption('--model <dir>', 'folder written by tsnas export')
    .option('--threshold <score>', 'lowest score reported', '0.3')
    .option('--draw <dir>', 'also write each image with its boxes drawn (<name>.boxes.png) into this folder')
    .option('--backend <name>', `tensor backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
    .action(async (images: string[], flags: { model: string; threshold: string; draw?: string; backend: string }) => {
      const threshold = numFlag('--threshold', flags.threshold) as number;
      if (!(threshold >= 0 && threshold <= 1)) throw new ConfigError('--threshold', `expected a score in [0, 1], got ${flags.threshold}`);
      const model = await loadModel(flags.model, { registries: loadRegistries, backend: flags.backend as BackendChoice });
      try {
        const results = predictImages(model, images, { threshold, ...(flags.draw ? { drawDir: flags.draw } : {}) });
        process.stdout.write(JSON.stringify(results, null, 2) + '\n');
      } finally {
        model.dispose();
      }
    });
}
