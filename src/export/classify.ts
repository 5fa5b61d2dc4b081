import { DataError } from '../core/errors.js';
import { readImage, toGrayInput, toRgbInput, type RgbaImage } from './image-io.js';
import type { LoadedModel } from './load-model.js';

export interface ClassScore {
  readonly class: string;
  /** Softmax probability. */
  readonly score: number;
}

export interface ImageClassification {
  readonly image: string;
  readonly width: number;
  readonly height: number;
  /** The most probable classes, most probable first. */
  readonly top: ClassScore[];
}

/** The network's input for an image: gray or RGB as its data is, resized to its side (as the image-folder dataset reads files). */
function toInput(img: RgbaImage, [h, w, c]: readonly [number, number, number], dir: string): Float32Array {
  if (c === 1) return toGrayInput(img, w, h);
  if (c === 3) return toRgbInput(img, w, h);
  throw new DataError(`model folder '${dir}' takes images of ${c} channels; predict reads gray (1) or RGB (3)`);
}

/**
 * Runs a loaded classifier on image files and returns each one's `top` most probable classes. Every
 * image is decoded first, so an unreadable one fails the command before any work.
 */
export function classifyImages(model: LoadedModel, paths: readonly string[], o: { readonly top: number }): ImageClassification[] {
  if (!model.classify) throw new DataError(`model folder '${model.dir}' holds a ${model.kind}, not a classifier`);
  const { shape, classes } = model.manifest.userDefinedMetadata.data;
  const images = paths.map((p) => ({ path: p, img: readImage(p) }));
  return images.map(({ path, img }) => {
    const p = model.classify!(toInput(img, shape, model.dir));
    const top = Array.from(p, (score, label) => ({ class: classes[label] ?? String(label), score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, o.top);
    return { image: path, width: img.width, height: img.height, top };
  });
}
