import { useMutation } from "@tanstack/react-query";
import { Button } from "../../../components/Button.tsx";
import { Card } from "../../../components/Card.tsx";
import { ErrorNotice } from "../../../components/Status.tsx";
import { api } from "../../../lib/api-client.ts";
import { useT } from "../../../lib/i18n.tsx";

/** Save a downloaded file under its name (the browser's own download, through a temporary link). */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Coordinators download all of the coalition's data (JSON and CSV in a zip). The API asks for the
 * password again when the last sign-in is older than 15 minutes (the client shows the prompt and retries).
 */
export function CoalitionExportCard({ coalitionId }: { coalitionId: string }) {
  const t = useT();
  const download = useMutation({
    mutationFn: () => api.download(`/api/coalitions/${encodeURIComponent(coalitionId)}/export.zip`),
    onSuccess: (blob) => save(blob, `samakki-export-${new Date().toISOString().slice(0, 10)}.zip`),
  });
  return (
    <Card title={t("coalitionExport.title")}>
      <p className="muted">{t("coalitionExport.intro")}</p>
      <div className="form-actions">
        <Button variant="secondary" pending={download.isPending} onClick={() => download.mutate()}>
          {download.isPending ? t("coalitionExport.preparing") : t("coalitionExport.button")}
        </Button>
      </div>
      {download.isError ? <ErrorNotice error={download.error} /> : null}
    </Card>
  );
}
