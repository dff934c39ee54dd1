// The median of a list of numbers, shared by the domains that need one over a plain array. Not exported by the barrel.

/** The median of a non-empty list: the middle value, or the mean of the two middle ones (the list is sorted in place). */
export function medianInPlace(values: number[]): number {
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}
