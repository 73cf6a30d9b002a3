/* prefectctx-process.c: which process runs a run, and whether it is still
 * there
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/prefectctx-process-private.h"
#include "prefectctx-tsan-private.h"

typedef struct {
  gint64  pid;
  char   *start;   /* as /proc writes it */
  char   *state;   /* one letter: R, S, Z... */
} ProcStat;

static void
proc_stat_clear (ProcStat *stat)
{
  g_clear_pointer (&stat->start, g_free);
  g_clear_pointer (&stat->state, g_free);
}

/* Fields 3 (state) and 22 (starttime) of /proc/PID/stat. The second field,
 * the command name in parentheses, may hold spaces and parentheses: the
 * fields that follow start after its last ')'. */
static gboolean
proc_stat_read (gint64    pid,
                ProcStat *stat)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid)
                                  : g_strdup ("/proc/self/stat");
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *rest;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  rest = strrchr (contents, ')');
  if (rest == NULL)
    return FALSE;
  fields = g_strsplit (g_strstrip ((char *) rest + 1), " ", 0);
  /* fields[0] is field 3, so field 22 is fields[19]. */
  if (g_strv_length (fields) < 20)
    return FALSE;
  stat->pid = pid > 0 ? pid : strtoll (contents, NULL, 10);
  stat->state = g_strdup (fields[0]);
  stat->start = g_strdup (fields[19]);
  return TRUE;
}

static char *
read_boot_id (void)
{
  char *contents = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &contents, NULL, NULL))
    return NULL;
  return g_strstrip (contents);
}

static GMutex identity_lock;
static char *identity;
static pid_t identity_pid;

const char *
_prefect_ctx_process_identity (void)
{
  const char *result;

  prefect_ctx_mutex_lock (&identity_lock);
  /* Made again in a child process after fork (). The old text may still be
   * in use by another thread of the parent: it is kept, not freed. */
  if (identity_pid != getpid ())
    {
      ProcStat stat = { 0, };
      g_autofree char *boot_id = read_boot_id ();

      identity_pid = getpid ();
      identity = NULL;
      if (boot_id != NULL && proc_stat_read (0, &stat))
        identity = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s %s", stat.pid, stat.start, boot_id,
                                    g_get_host_name ());
      proc_stat_clear (&stat);
    }
  result = identity;
  prefect_ctx_mutex_unlock (&identity_lock);
  return result;
}

char *
_prefect_ctx_process_gone_message (const char *text)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *boot_id = NULL;
  ProcStat stat = { 0, };
  const char *own = _prefect_ctx_process_identity ();
  gboolean gone;
  char *end = NULL;
  gint64 pid;

  if (text == NULL || own == NULL || strcmp (text, own) == 0)
    return NULL;

  /* The host name comes last and may hold spaces. */
  parts = g_strsplit (text, " ", 4);
  if (g_strv_length (parts) != 4)
    return NULL;
  pid = g_ascii_strtoll (parts[0], &end, 10);
  if (*end != '\0' || pid <= 0 || strcmp (parts[3], g_get_host_name ()) != 0)
    return NULL;

  boot_id = read_boot_id ();
  if (boot_id == NULL)
    return NULL;
  if (strcmp (parts[2], boot_id) != 0)
    gone = TRUE;
  else if (!proc_stat_read (pid, &stat))
    gone = TRUE;
  else
    gone = strcmp (stat.start, parts[1]) != 0 || strcmp (stat.state, "Z") == 0 || strcmp (stat.state, "X") == 0;
  proc_stat_clear (&stat);

  if (!gone)
    return NULL;
  return g_strdup_printf ("Execution was aborted: its process (pid %" G_GINT64_FORMAT " on %s) "
                          "ended during the run, killed or crashed.", pid, parts[3]);
}
