/** @jsxImportSource hono/jsx */
import type { Language } from "@samakki/shared/i18n/index";
import { formatPublicDate, formatPublicNumber, publicT } from "./layout.tsx";

export interface DiagramStage {
  position: number;
  date: string;
  from: string;
  to: string;
  distanceKm: number;
}

const ROW = 76;
const TOP = 28;
const WIDTH = 300;
/** Labels are cut to fit a phone-wide drawing; the full text is in each stop's <title> and in the list below it. */
const MAX_LABEL = 30;

const cut = (s: string) => {
  const chars = [...s];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join("")}…` : s;
};

/**
 * A march's stages as a simple route drawn by us: a vertical line through one stop per place,
 * the start, then one labelled stop per stage (place reached, km, date). Plain SVG in the page: no
 * map tiles, no script; readable by screen readers (<title>, <desc>) and in print (black on white).
 */
export function RouteDiagram(props: { id: string; title: string; stages: DiagramStage[]; lang: Language; timeZone: string }) {
  const t = publicT(props.lang);
  const first = props.stages[0];
  if (!first) return null;
  const height = TOP + ROW * props.stages.length + 48;
  const total = props.stages.reduce((sum, s) => sum + Math.round(s.distanceKm * 100), 0) / 100;
  const titleId = `route-${props.id}-title`;
  const descId = `route-${props.id}-desc`;
  const y = (i: number) => TOP + ROW * i;
  return (
    <svg
      class="route"
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width={WIDTH}
      height={height}
      xmlns="http://www.w3.org/2000/svg"
      font-family='"Noto Sans Khmer",system-ui,sans-serif'
    >
      <title id={titleId}>{t("publicSite.route.title", { title: props.title })}</title>
      <desc id={descId}>
        {t("publicSite.route.desc", {
          from: first.from,
          to: props.stages[props.stages.length - 1]?.to ?? first.to,
          count: props.stages.length,
          km: formatPublicNumber(total, props.lang),
        })}
      </desc>
      <line x1="20" y1={y(0)} x2="20" y2={y(props.stages.length)} stroke="#b8860b" stroke-width="4" stroke-linecap="round" />
      <g class="start">
        <title>{t("publicSite.route.start", { place: first.from })}</title>
        <circle cx="20" cy={y(0)} r="9" fill="#fff" stroke="#1b1f23" stroke-width="3" />
        <text x="40" y={y(0) + 5} font-size="15" font-weight="700" fill="#1b1f23">
          {cut(first.from)}
        </text>
      </g>
      {props.stages.map((s, i) => {
        const km = formatPublicNumber(s.distanceKm, props.lang);
        const date = formatPublicDate(s.date, props.lang, props.timeZone);
        const label = t("publicSite.route.stage", { number: formatPublicNumber(s.position, props.lang), km });
        return (
          <g class="stage" key={String(s.position)}>
            <title>{t("publicSite.route.stageTitle", { from: s.from, to: s.to, km, date })}</title>
            <circle cx="20" cy={y(i + 1)} r="7" fill="#1b1f23" />
            <text x="40" y={y(i + 1) + 2} font-size="15" font-weight="700" fill="#1b1f23">
              {cut(s.to)}
            </text>
            <text x="40" y={y(i + 1) + 22} font-size="13" fill="#444">
              {cut(label)}
            </text>
            <text x="40" y={y(i + 1) + 40} font-size="13" fill="#444">
              {cut(date)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
