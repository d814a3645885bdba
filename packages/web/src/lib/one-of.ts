/**
 * A select's (or radio group's) value, typed as one of `options`, the values it offers, so it can
 * go in a request body typed from a shared schema. The value is passed as it is, not checked: the
 * control offers only these values, and the API validates the body again (a tampered value gets
 * its 400 on the field, as any invalid input does), so the cast here cannot let a wrong value through.
 */
export function oneOf<T extends string>(_options: readonly T[], value: string): T {
  return value as T;
}
