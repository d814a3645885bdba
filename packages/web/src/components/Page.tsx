import { type ReactNode, useEffect, useRef } from "react";
import { useT } from "../lib/i18n.tsx";
import { useFocusOnArrival } from "../lib/page-focus.tsx";

/**
 * A page's heading, also used as the document title. Shown after a navigation, it takes the focus
 * when nothing else has it (lib/page-focus.tsx), so a screen reader reads the new page's title.
 */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(heading);
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
  return (
    <div className="page-header">
      <div>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
