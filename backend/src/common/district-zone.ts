/**
 * The district's time zone (TZ_DISTRICT) for reading query times without a zone: set once at
 * start-up from the configuration, before any request is served.
 */
let zone = 'Asia/Shanghai';

export function setDistrictZone(tz: string): void {
  zone = tz;
}

export function districtZone(): string {
  return zone;
}
