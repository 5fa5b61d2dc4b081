/** Escapes text for SVG/HTML content and attribute values. */
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An SVG element as text; attributes in order, text content escaped. */
export function el(tag: string, attrs: Record<string, string | number>, content = ''): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
  return content === '' ? `<${tag}${a}/>` : `<${tag}${a}>${content}</${tag}>`;
}
