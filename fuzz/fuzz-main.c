/* fuzz-main.c: replays a corpus through the fuzz harness, and mutates it
 * for a while without libFuzzer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   fuzz-toml-replay (or fuzz-json-replay) [--mutate SECONDS] [--seed N] FILE-OR-DIRECTORY...
 *
 * Every file (directories: every file in them) goes through
 * LLVMFuzzerTestOneInput () once. With --mutate, random mutations of those
 * inputs (bit flips, TOML tokens inserted, ranges deleted, duplicated or
 * spliced from another input) follow for SECONDS seconds. This is the
 * fallback where clang's libFuzzer is not available: a blind mutator, far
 * weaker than coverage-guided fuzzing, but it runs under the sanitizers of
 * the build (build-asan/) and prints its seed so a failure can be replayed;
 * an input that makes the harness abort is also written to
 * fuzz-toml-crash.toml in the working directory.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char * const tokens[] = {
  "[", "]", "[[", "]]", "[profiles.", "[profiles.\"x y\"]", "=", " = ", ".", "\"", "'", "\"\"\"",
  "'''", "#", "\n", "\r\n", "\r", "\t", " ", "\\", "\\u00e9", "\\U0001F600", "\\uD800", "\\u0000",
  "\\n", "\\x", "active", "profiles", "PREFECT_API_URL", "PREFECT_API_KEY",
  "PREFECT_CLIENT_MAX_RETRIES", "true", "false", "inf", "-nan", "0x", "0o", "0b", "_", "1e",
  "-9223372036854775808", "9223372036854775807", "9223372036854775808", "1979-05-27", "07:32:00",
  "{", "}", ",", "\xc3\xa9", "\xff", "\xc3", "\xef\xbb\xbf", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p",
  "null", "1e400", "-0", "NaN", ":", "[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":", "\\ud83d\\ude00", "\\udc00",
  "\"parameters\"", "\"state\"", "\"tags\"", "\"name\"", "\"timestamp\"", "\"type\"",
};

static void
add_file (GPtrArray  *inputs,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (1);
    }
  g_ptr_array_add (inputs, g_bytes_new_take (contents, length));
}

static void
add_path (GPtrArray  *inputs,
          const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      add_file (inputs, path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_printerr ("cannot open %s\n", path);
      exit (1);
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, names->pdata[i], NULL);

      if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        add_file (inputs, child);
    }
}

/* The input being run, written to CRASH_FILE if the harness aborts. */
#ifndef FUZZ_CRASH_FILE
# define FUZZ_CRASH_FILE "fuzz-toml-crash.toml"
#endif
#define CRASH_FILE FUZZ_CRASH_FILE
static const guint8 *current_data;
static gsize current_length;

static void
on_abort (int signum)
{
  int fd = open (CRASH_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  if (fd >= 0)
    {
      if (current_data != NULL && write (fd, current_data, current_length) < 0)
        {
          /* nothing more to do in a signal handler */
        }
      close (fd);
    }
  signal (signum, SIG_DFL);
  raise (signum);
}

static void
run (const guint8 *data,
     gsize         length)
{
  /* a copy of exactly @length bytes, so that ASan sees reads past the end */
  guint8 *copy = g_memdup2 (data, length);

  current_data = copy;
  current_length = length;
  LLVMFuzzerTestOneInput (copy, length);
  current_data = NULL;
  g_free (copy);
}

static void
insert_bytes (GByteArray   *buffer,
              guint         at,
              const guint8 *data,
              guint         length)
{
  GByteArray *tail = g_byte_array_new ();

  g_byte_array_append (tail, buffer->data + at, buffer->len - at);
  g_byte_array_set_size (buffer, at);
  g_byte_array_append (buffer, data, length);
  g_byte_array_append (buffer, tail->data, tail->len);
  g_byte_array_unref (tail);
}

static void
mutate (GByteArray *buffer,
        GPtrArray  *inputs,
        GRand      *rand)
{
  guint n = (guint) g_rand_int_range (rand, 1, 5);

  for (guint i = 0; i < n; i++)
    {
      guint len = buffer->len;
      guint at = len > 0 ? (guint) g_rand_int_range (rand, 0, (gint32) len + 1) : 0;

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0: /* flip a bit */
          if (len > 0)
            buffer->data[MIN (at, len - 1)] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
          break;

        case 1: /* a random byte */
          {
            guint8 byte = (guint8) g_rand_int_range (rand, 0, 256);

            insert_bytes (buffer, at, &byte, 1);
          }
          break;

        case 2: /* a token */
          {
            const char *token = tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))];

            insert_bytes (buffer, at, (const guint8 *) token, (guint) strlen (token));
          }
          break;

        case 3: /* delete a range */
          if (at < len)
            g_byte_array_remove_range (buffer, at,
                                       (guint) g_rand_int_range (rand, 1, (gint32) (len - at) + 1));
          break;

        case 4: /* duplicate a range */
          if (at < len && len < 65536)
            {
              guint count = (guint) g_rand_int_range (rand, 1, (gint32) (len - at) + 1);
              guint8 *copy = g_memdup2 (buffer->data + at, count);

              g_byte_array_append (buffer, copy, count);
              g_free (copy);
            }
          break;

        case 5: /* splice in part of another input */
          {
            GBytes *other = inputs->pdata[g_rand_int_range (rand, 0, (gint32) inputs->len)];
            gsize other_len = 0;
            const guint8 *other_data = g_bytes_get_data (other, &other_len);

            if (other_len > 0)
              {
                guint from = (guint) g_rand_int_range (rand, 0, (gint32) other_len);
                guint count = (guint) g_rand_int_range (rand, 1, (gint32) (other_len - from) + 1);

                g_byte_array_set_size (buffer, at);
                g_byte_array_append (buffer, other_data + from, count);
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  double seconds = 0;
  guint32 seed = (guint32) g_get_real_time ();
  int i;

  for (i = 1; i < argc && g_str_has_prefix (argv[i], "--"); i++)
    {
      if (strcmp (argv[i], "--mutate") == 0 && i + 1 < argc)
        seconds = g_ascii_strtod (argv[++i], NULL);
      else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
        seed = (guint32) g_ascii_strtoull (argv[++i], NULL, 10);
      else
        {
          g_printerr ("usage: %s [--mutate SECONDS] [--seed N] FILE-OR-DIRECTORY...\n", argv[0]);
          return 2;
        }
    }
  if (i == argc)
    {
      g_printerr ("usage: %s [--mutate SECONDS] [--seed N] FILE-OR-DIRECTORY...\n", argv[0]);
      return 2;
    }

  for (; i < argc; i++)
    add_path (inputs, argv[i]);
  signal (SIGABRT, on_abort);
  if (inputs->len == 0)
    {
      g_printerr ("no inputs\n");
      return 1;
    }

  for (guint j = 0; j < inputs->len; j++)
    {
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (inputs->pdata[j], &length);

      run (data, length);
    }
  g_print ("replayed %u inputs\n", inputs->len);

  if (seconds > 0)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
      guint64 runs = 0;

      g_print ("mutating for %g s with --seed %" G_GUINT32_FORMAT "\n", seconds, seed);
      while (g_get_monotonic_time () < end)
        {
          GBytes *input = inputs->pdata[g_rand_int_range (rand, 0, (gint32) inputs->len)];
          g_autoptr(GByteArray) buffer = g_byte_array_new ();
          gsize length = 0;
          const guint8 *data = g_bytes_get_data (input, &length);

          g_byte_array_append (buffer, data, (guint) length);
          for (guint round = 0; round < 8; round++)
            {
              mutate (buffer, inputs, rand);
              run (buffer->data, buffer->len);
            }
          runs += 8;
        }
      g_print ("%" G_GUINT64_FORMAT " mutated inputs, no failure\n", runs);
    }

  return 0;
}
