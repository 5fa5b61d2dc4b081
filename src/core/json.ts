/** Values that survive JSON.stringify / JSON.parse unchanged: what strategy states and genotypes must be. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
