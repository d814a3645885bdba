export interface RateLimitTable {
  key: string;
  window_start: Date;
  count: number;
}
