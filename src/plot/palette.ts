// Line colours: the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies) on white, then
// two darker extras; the figure is a document with its own white background, so it reads the same in both themes.
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B', '#7F7F7F'] as const;

export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#000000';
}

