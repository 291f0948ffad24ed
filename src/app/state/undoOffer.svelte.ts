/** What a page offers to undo: the sentence that says what was done, and the way back. */
export interface UndoableAction {
  message: string;
  undo: () => Promise<void>;
}

/**
 * The last action a page offers to undo for a few seconds ("Watched it", "Remove"). The action is
 * already saved when it is offered (a closed tab loses nothing, other tabs see it at once); Undo
 * writes the inverse. The offer ends when its time is up, when the next action replaces it, or when
 * it is used; while the pointer or the focus is on it, its time stands still (WCAG 2.2.1).
 */
export class UndoOffer {
  #current = $state<UndoableAction | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #held = false;

  constructor(readonly milliseconds = 8000) {}

  get current(): UndoableAction | null {
    return this.#current;
  }

  offer(action: UndoableAction): void {
    this.#current = action;
    this.#restart();
  }

  /** Undoes the offered action; the offer ends whether or not the undo succeeds (its error is the caller's). */
  async undo(): Promise<void> {
    const action = this.#current;
    this.dismiss();
    await action?.undo();
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.#current = null;
    this.#held = false;
  }

  /** The person is reading or about to press Undo: the offer waits. */
  hold(): void {
    this.#held = true;
    clearTimeout(this.#timer);
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.#restart();
  }

  #restart(): void {
    clearTimeout(this.#timer);
    if (this.#current && !this.#held) this.#timer = setTimeout(() => this.dismiss(), this.milliseconds);
  }
}
