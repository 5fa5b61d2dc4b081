import type { JsonValue } from '../../core/json.js';
import { drawNasFpn } from './nasfpn.js';
import { drawNasNet } from './nasnet.js';

/** An architecture drawn for the report: a standalone SVG and a line of text per part (for the table's tooltip and screen readers). */
export interface Drawing {
  readonly svg: string;
  readonly lines: readonly string[];
}

/** Draws one genotype of a space, given the space's options as stored with the experiment. */
export type ArchitectureDrawer = (genotype: unknown, spaceOptions: Readonly<Record<string, JsonValue>>) => Drawing;

/** Drawers by space name. A space that wants its architectures drawn in reports adds one here; spaces without one get no drawing. */
export const ARCHITECTURE_DRAWERS: Record<string, ArchitectureDrawer> = {
  nasfpn: drawNasFpn,
  nasnet: drawNasNet,
};

export function drawerFor(space: string): ArchitectureDrawer | undefined {
  return ARCHITECTURE_DRAWERS[space];
}
