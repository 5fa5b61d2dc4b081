import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { DataError } from '../core/errors.js';
import type { Box } from '../metrics/index.js';
import { drawBoxes, readImage, toGrayInput } from './image-io.js';
import type { LoadedModel } from './load-model.js';

export interface ImageDetection {
  readonly class: string;
  readonly label: number;
  readonly score: number;
  /** [x1, y1, x2, y2] in the image's own pixels. */
  readonly box: Box;
}

export interface ImagePrediction {
  readonly image: string;
  readonly width: number;
  readonly height: number;
  readonly detections: ImageDetection[];
  /** The copy with its boxes drawn, when asked for. */
  readonly drawn?: string;
}

export interface PredictOptions {
  /** Lowest score reported. */
  readonly threshold: number;
  /** Folder for `<name>.boxes.png` copies with the boxes drawn (`<name>-2.boxes.png` for a repeated name). */
  readonly drawDir?: string;
}

/**
 * Runs a loaded detector on image files. Every image is decoded first, so an unreadable one fails the
 * command before any work; each is resized to the network's input and its boxes scaled back.
 */
export function predictImages(model: LoadedModel, paths: readonly string[], o: PredictOptions): ImagePrediction[] {
  if (!model.detect) throw new DataError(`model folder '${model.dir}' holds a ${model.kind}, not a detector`);
  const [h, w] = model.manifest.userDefinedMetadata.data.shape;
  const classes = model.manifest.userDefinedMetadata.data.classes;
  const images = paths.map((p) => ({ path: p, img: readImage(p) }));
  if (o.drawDir) mkdirSync(o.drawDir, { recursive: true });
  const used = new Set<string>();
  // `<name>.boxes.png`, or `<name>-2.boxes.png` for a second image of the same name (a.png and a.jpg).
  const drawnName = (path: string) => {
    const stem = basename(path, extname(path));
    let name = stem;
    for (let k = 2; used.has(name); k++) name = `${stem}-${k}`;
    used.add(name);
    return `${name}.boxes.png`;
  };
  return images.map(({ path, img }) => {
    const sx = img.width / w;
    const sy = img.height / h;
    const detections = model
      .detect!(toGrayInput(img, w, h))
      .filter((d) => d.score >= o.threshold)
      .map((d) => ({ class: classes[d.label] ?? String(d.label), label: d.label, score: d.score, box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy] as Box }));
    if (!o.drawDir) return { image: path, width: img.width, height: img.height, detections };
    const drawn = join(o.drawDir, drawnName(path));
    writeFileSync(drawn, drawBoxes(img, detections));
    return { image: path, width: img.width, height: img.height, detections, drawn };
  });
}
