// A weight or bias of the network graph under the pointer: its value in a tooltip (read again
// from each new frame while shown, so an edit shows at once), and on click a number box at the
// pointer: Enter sets it, Escape or leaving the box cancels. `input` −1 names a unit's bias.

import { showTooltip } from '../../lib/dom';

export type ParamValue = (layer: number, unit: number, input: number) => number | undefined;
export type ParamEdit = (layer: number, unit: number, input: number, value: number) => void;

export class ParamEditor {
  private readonly tooltip: HTMLElement;
  /** The hovered weight's or bias's tooltip text. */
  private hovered: (() => string | undefined) | null = null;
  private editor: HTMLInputElement | null = null;

  /** `scale()`: the size the graph is drawn at, as pointer positions are divided by it. */
  constructor(
    private readonly graph: HTMLElement,
    private readonly scale: () => number,
    private readonly value: ParamValue,
    private readonly edit: ParamEdit,
  ) {
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.hidden = true;
    graph.append(this.tooltip);
  }

  hover(layer: number, unit: number, input: number, e: MouseEvent): void {
    this.hovered = () => {
      const v = this.value(layer, unit, input);
      return v === undefined ? undefined : `${input < 0 ? 'bias' : 'weight'} ${v.toFixed(3)} · click to edit`;
    };
    const text = this.hovered();
    if (text !== undefined) {
      const { box, x, y } = this.local(e);
      showTooltip(this.tooltip, text, { clientX: box.left + x, clientY: box.top + y } as MouseEvent, box);
    }
  }

  /** A new frame: the shown value is read again. */
  refresh(): void {
    const text = this.hovered?.();
    if (text !== undefined && !this.tooltip.hidden) this.tooltip.textContent = text;
  }

  hide(): void {
    this.hovered = null;
    this.tooltip.hidden = true;
  }

  open(layer: number, unit: number, input: number, e: MouseEvent): void {
    const current = this.value(layer, unit, input);
    if (current === undefined) return;
    this.close();
    const { x, y } = this.local(e);
    const editor = document.createElement('input');
    editor.type = 'number';
    editor.step = '0.1';
    editor.className = 'param-editor';
    editor.value = current.toFixed(3);
    editor.setAttribute('aria-label', input < 0 ? 'bias' : 'weight');
    editor.style.left = `${x}px`;
    editor.style.top = `${y}px`;
    editor.addEventListener('keydown', (k) => {
      if (k.key === 'Enter') {
        const v = Number(editor.value);
        if (editor.value.trim() !== '' && Number.isFinite(v)) this.edit(layer, unit, input, v);
        this.close();
      } else if (k.key === 'Escape') {
        this.close();
      }
    });
    editor.addEventListener('blur', () => this.close());
    this.graph.append(editor);
    this.editor = editor;
    editor.focus();
    editor.select();
  }

  close(): void {
    const editor = this.editor;
    this.editor = null;
    editor?.remove();
  }

  /** The graph's box in its own (unscaled) pixels, and the pointer's position in it. */
  private local(e: MouseEvent): { box: DOMRect; x: number; y: number } {
    const r = this.graph.getBoundingClientRect();
    const scale = this.scale();
    const box = new DOMRect(r.left, r.top, r.width / scale, r.height / scale);
    return { box, x: (e.clientX - r.left) / scale, y: (e.clientY - r.top) / scale };
  }
}
