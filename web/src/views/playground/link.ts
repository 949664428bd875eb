// A link's run spec on its way to the server. The server refuses a set_spec at its first bad
// key, which would throw the whole link away; instead the refused key is left out and the rest
// asked for again, until the server takes what remains. Every problem (those found reading the
// link, then each refusal) is listed together, none overwriting another.

type Spec = Record<string, unknown>;

export class LinkRequest {
  private pending: Spec | null = null;
  /** Asked for on a new connection: sent once the session's first spec has come. */
  private waiting = false;
  private problems: string[] = [];

  constructor(
    private readonly send: (spec: Spec) => void,
    private readonly show: (problems: string[]) => void,
  ) {}

  /** What reading the link found wrong (shown now, and kept at the head of the list). */
  read(problems: string[]): void {
    this.problems = [...problems];
    if (problems.length) this.show(this.problems);
  }

  /**
   * Asks the server for the link's spec (nothing for an empty one): now, or (`afterFirstSpec`,
   * for a new connection) once the session has sent its own first spec, so that the next spec
   * or refusal is the answer.
   */
  ask(spec: Spec, afterFirstSpec = false): void {
    this.pending = Object.keys(spec).length ? { ...spec } : null;
    this.waiting = afterFirstSpec && this.pending !== null;
    if (this.pending && !this.waiting) this.send(this.pending);
  }

  /** A spec from the server: the session's first (the link goes now), or the answer to the link. */
  spec(): void {
    if (this.waiting && this.pending) {
      this.waiting = false;
      this.send(this.pending);
    } else {
      this.pending = null;
    }
  }

  /** A set_spec refusal; true when it answered the link's request (and was dealt with here). */
  refused(message: string): boolean {
    if (!this.pending || this.waiting) return false;
    const text = message.replace(/^set_spec:\s*/, '');
    const key = /^spec\.(\w+)/.exec(text)?.[1];
    this.problems.push(text.replace(/^spec\./, ''));
    if (key && key in this.pending) {
      delete this.pending[key];
      if (Object.keys(this.pending).length) this.send(this.pending);
      else this.pending = null;
    } else {
      this.pending = null;
    }
    this.show(this.problems);
    return true;
  }
}
