/*
 * A C caller of the ABI: raises an IRO alert with the team manager on Monday
 * 21 December 2026, reads the new state, asks its status on Christmas Eve,
 * and shows an error. Prints one JSON object for tests/c_program.rs to check;
 * exits non-zero at the first thing that is not as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escalation_ladder.h"

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "apply.c:%d: failed: %s\n", __LINE__, #cond);            \
      return 1;                                                                \
    }                                                                          \
  } while (0)

/* The value of "key":"…" in json (a string), copied into buf. */
static int string_field(const char *json, const char *key, char *buf, size_t size) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *at = strstr(json, pattern);
  if (at == NULL) return 0;
  at += strlen(pattern);
  const char *end = strchr(at, '"');
  if (end == NULL || (size_t)(end - at) >= size) return 0;
  memcpy(buf, at, (size_t)(end - at));
  buf[end - at] = '\0';
  return 1;
}

int main(void) {
  const char *version = el_version(); /* static: not freed */
  CHECK(strstr(version, "\"abi\":2") != NULL);

  ElHandle *handle = NULL;
  char *out = NULL;
  CHECK(el_handle_new(NULL, NULL, NULL, &handle, &out) == EL_OK);
  CHECK(handle != NULL);
  el_string_free(out);

  const char *raise =
      "{\"on\":\"2026-12-21\",\"actor\":\"iro\",\"type\":\"raise\","
      "\"stage\":\"team-manager\",\"reason\":\"drift in permanence planning\"}";
  char *applied = NULL;
  int32_t status = el_apply(handle, "iro-dispute-resolution", NULL, raise, -1, &applied);
  if (status != EL_OK) fprintf(stderr, "%s\n", applied);
  CHECK(status == EL_OK);

  /* The new state: {"state":{…},"transitions":[…]}; its state comes first. */
  char respond_by[16], ceiling[16], phase[32];
  CHECK(string_field(applied, "respond_by", respond_by, sizeof respond_by));
  CHECK(string_field(applied, "ceiling", ceiling, sizeof ceiling));
  CHECK(string_field(applied, "phase", phase, sizeof phase));
  CHECK(strcmp(respond_by, "2026-12-30") == 0);
  CHECK(strcmp(ceiling, "2027-01-21") == 0);
  CHECK(strcmp(phase, "awaiting-response") == 0);

  /* The state to store is the object after "state": cut it out. */
  const char *start = strstr(applied, "\"state\":") + strlen("\"state\":");
  const char *end = strstr(start, ",\"transitions\":");
  CHECK(end != NULL);
  size_t length = (size_t)(end - start);
  char *state = malloc(length + 1);
  CHECK(state != NULL);
  memcpy(state, start, length);
  state[length] = '\0';

  char *now = NULL;
  CHECK(el_status(handle, "iro-dispute-resolution", state, "2026-12-24", &now) == EL_OK);
  CHECK(strstr(now, "\"working_days_left\":2") != NULL);

  /* An error: a NULL event is an error document, not a crash. */
  char *refused = NULL;
  CHECK(el_apply(handle, "iro-dispute-resolution", state, NULL, -1, &refused) == EL_ERROR);
  CHECK(strstr(refused, "\"code\":\"ffi.null-pointer\"") != NULL);
  /* NULL out_json: nothing written. */
  CHECK(el_apply(handle, "iro-dispute-resolution", state, raise, -1, NULL) == EL_NO_OUTPUT);

  printf("{\"applied\":%s,\"status\":%s,\"refused\":%s}\n", applied, now, refused);

  free(state);
  el_string_free(applied);
  el_string_free(now);
  el_string_free(refused);
  el_handle_free(handle);
  return 0;
}
