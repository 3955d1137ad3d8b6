// The fast-check types the kit's published declarations name, declared here rather than imported:
// a consumer who imports anything from /testing without having installed fast-check (an optional
// peer) must still compile with skipLibCheck off. They are fast-check 4's `Arbitrary`, `Value` and
// `Stream`, member for member, so that the kit's arbitraries go straight into the consumer's own
// `fc.property(...)`; test/package compiles exactly that under TypeScript 5.4 and 5.9.

/** fast-check's `Value`: a generated value and what it takes to shrink it. */
export interface FastCheckValue<T> {
  readonly hasToBeCloned: boolean;
  readonly value: T;
  readonly value_: T;
  readonly context: unknown;
}

/** fast-check's `Stream`, the lazy sequence shrinking walks. */
export interface FastCheckStream<T> extends IterableIterator<T> {
  next(): IteratorResult<T>;
  [Symbol.iterator](): IterableIterator<T>;
  map<U>(f: (v: T) => U): FastCheckStream<U>;
  flatMap<U>(f: (v: T) => IterableIterator<U>): FastCheckStream<U>;
  dropWhile(f: (v: T) => boolean): FastCheckStream<T>;
  drop(n: number): FastCheckStream<T>;
  takeWhile(f: (v: T) => boolean): FastCheckStream<T>;
  take(n: number): FastCheckStream<T>;
  filter<U extends T>(f: (v: T) => v is U): FastCheckStream<U>;
  filter(f: (v: T) => boolean): FastCheckStream<T>;
  every(f: (v: T) => boolean): boolean;
  has(f: (v: T) => boolean): [boolean, T | null];
  join(...others: IterableIterator<T>[]): FastCheckStream<T>;
  getNthOrLast(nth: number): T | null;
}

/** fast-check's `Arbitrary<T>`: use it with `fc.assert(fc.property(arbitrary, ...))`, `fc.sample`, `.map`, `.filter`. */
export interface FastCheckArbitrary<T> {
  /** `mrng` is fast-check's `Random`, which only fast-check itself passes. */
  generate(mrng: unknown, biasFactor: number | undefined): FastCheckValue<T>;
  canShrinkWithoutContext(value: unknown): value is T;
  shrink(value: T, context: unknown | undefined): FastCheckStream<FastCheckValue<T>>;
  filter<U extends T>(refinement: (t: T) => t is U): FastCheckArbitrary<U>;
  filter(predicate: (t: T) => boolean): FastCheckArbitrary<T>;
  map<U>(mapper: (t: T) => U, unmapper?: (possiblyU: unknown) => T): FastCheckArbitrary<U>;
  chain<U>(chainer: (t: T) => FastCheckArbitrary<U>): FastCheckArbitrary<U>;
}
