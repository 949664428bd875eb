// Where the network graph's columns go: the feature column, each hidden layer and the output,
// spread over the width the graph's card has. With few layers a column is TensorFlow
// Playground's 136 px apart; with more (up to the spec's 10 hidden layers) the columns close
// up, the nodes shrink and each layer's controls stack; where even that is too wide (ten layers
// in a 1024 px page's card) the whole graph is drawn smaller (`scale`), so that the output
// column always stays inside the card. Pure logic.

/** Column spacing (left edge to left edge) when there is room. */
export const FULL_PITCH = 136;
/** The closest columns come: room for a layer's + and − side by side, a node and its links. */
export const MIN_PITCH = 50;
const MIN_NODE = 18;
/** Room for a link between a node and the next column. */
const LINK_ROOM = 18;
/** Room for the feature labels, left of the first column. */
export const LABEL_MARGIN = 48;
/** Width of a layer's controls (+, −, units, activation) laid out on two rows. */
export const WIDE_HEAD = 104;

export interface GraphLayout {
  /** Left edge of column c: c × pitch. */
  pitch: number;
  /** Node size (px) of each column. */
  sizes: number[];
  /** Width of each layer's controls; below WIDE_HEAD they stack on more rows. */
  headWidth: number;
  /** Room above the first node for the layer controls. */
  top: number;
  /** The graph's width, from the first column's left edge to the last node's right edge. */
  width: number;
  /** Drawn at this size (≤ 1) so that `width` fits right of the labels. */
  scale: number;
}

/** TensorFlow Playground's node sizes by how many units a column shows. */
export function naturalNodeSize(units: number): number {
  return units <= 8 ? 36 : units <= 16 ? 28 : 20;
}

/**
 * Lays out columns of `units` nodes (a wide layer counts as 8) in `available` px (the card's
 * inner width, LABEL_MARGIN included), with `extra` px right of the last column (class labels).
 */
export function layoutGraph(units: number[], available: number, extra = 0): GraphLayout {
  const gaps = Math.max(1, units.length - 1);
  const natural = units.map(naturalNodeSize);
  const last = natural[natural.length - 1];
  const room = available - LABEL_MARGIN - last - extra;
  const pitch = Math.max(MIN_PITCH, Math.min(FULL_PITCH, Math.floor(room / gaps)));
  const sizes = natural.map((s) => Math.max(MIN_NODE, Math.min(s, pitch - LINK_ROOM)));
  const headWidth = Math.min(WIDE_HEAD, pitch - 4);
  // Two rows of controls when wide; + and − above the units box above the activation when not.
  const top = headWidth >= WIDE_HEAD ? 56 : 80;
  const width = (units.length - 1) * pitch + sizes[sizes.length - 1] + extra;
  return { pitch, sizes, headWidth, top, width, scale: Math.min(1, (available - LABEL_MARGIN) / width) };
}
