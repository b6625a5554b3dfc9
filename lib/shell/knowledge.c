/*
 * The command knowledge rows (knowledge.h). Options are those of the GNU,
 * BSD and tools' own documentation; only the options that take a value or
 * change what the operands are need a row.
 */
#include "shell/knowledge.h"

#include <string.h>

#include "shell/internal.h"

#define NONE_L none_l
static const char *const none_l[] = {NULL};

/* ---- reading tools ------------------------------------------------------- */

static const char *const grep_long[] = {
    "regexp",       "file",         "max-count", "label",       "after-context",   "before-context",
    "context",      "color",        "colour",    "include",     "exclude",         "exclude-dir",
    "exclude-from", "binary-files", "devices",   "directories", "group-separator", NULL};
static const sh_optrole grep_opts[] = {{"-e", OR_OPERAND_ONE},      {"--regexp", OR_OPERAND_ONE},
                                       {"-f", OR_READ_ONE},         {"--file", OR_READ_ONE},
                                       {"--exclude-from", OR_READ}, {NULL, 0}};
static const char *const rg_long[] = {
    "regexp",    "file",        "glob",          "iglob",          "type",    "type-not",
    "max-count", "context",     "after-context", "before-context", "color",   "colors",
    "encoding",  "ignore-file", "max-depth",     "replace",        "sort",    "sortr",
    "type-add",  "pre",         "pre-glob",      "engine",         "threads", NULL};
static const sh_optrole rg_opts[] = {{"-e", OR_OPERAND_ONE},
                                     {"--regexp", OR_OPERAND_ONE},
                                     {"-f", OR_READ_ONE},
                                     {"--file", OR_READ_ONE},
                                     {"--ignore-file", OR_READ},
                                     {"--pre", OR_EXEC},
                                     {NULL, 0}};
static const char *const sed_long[] = {"expression", "file", "line-length", NULL};
static const sh_optrole sed_opts[] = {{"-e", OR_OPERAND_ONE},
                                      {"--expression", OR_OPERAND_ONE},
                                      {"-f", OR_READ_ONE},
                                      {"--file", OR_READ_ONE},
                                      {"-i", OR_EDIT_FLAG},
                                      {"--in-place", OR_EDIT_FLAG},
                                      {NULL, 0}};
static const char *const awk_long[] = {"file", "assign", "field-separator", "source", "include",
                                       "load", NULL};
static const sh_optrole awk_opts[] = {{"-f", OR_READ_ONE},          {"--file", OR_READ_ONE},
                                      {"--source", OR_OPERAND_ONE}, {"-i", OR_READ},
                                      {"--include", OR_READ},       {NULL, 0}};
static const char *const jq_long[] = {"arg", "argjson", "indent", "from-file", NULL};
static const sh_optrole jq_opts[] = {{"-f", OR_READ_ONE}, {"--from-file", OR_READ_ONE}, {NULL, 0}};
static const char *const yq_modes[] = {"e", "eval", "ea", "eval-all", NULL};
static const sh_subspec yq_sub = {1, NULL, NULL, NULL, NULL, yq_modes};
static const char *const head_long[] = {"lines", "bytes", NULL};
static const char *const sort_long[] = {
    "output",   "key", "field-separator", "buffer-size", "temporary-directory", "files0-from",
    "parallel", NULL};
static const sh_optrole sort_opts[] = {
    {"-o", OR_WRITE}, {"--output", OR_WRITE}, {"--files0-from", OR_READ}, {NULL, 0}};
static const char *const cut_long[] = {"bytes",  "characters",       "delimiter",
                                       "fields", "output-delimiter", NULL};
static const char *const od_long[] = {"address-radix", "skip-bytes", "read-bytes",
                                      "format",        "width",      NULL};
static const char *const base64_long[] = {"wrap", NULL};
static const char *const diff_long[] = {
    "label", "from-file", "to-file", "exclude", "exclude-from", "ignore-matching-lines", NULL};
static const sh_optrole diff_opts[] = {{"--from-file", OR_READ}, {"--to-file", OR_READ}, {NULL, 0}};
static const char *const iconv_long[] = {"from-code", "to-code", "output", NULL};
static const sh_optrole out_opts[] = {{"-o", OR_WRITE}, {"--output", OR_WRITE}, {NULL, 0}};
static const char *const xxd_long[] = {"cols", "groupsize", "len", "seek", "name", NULL};
static const sh_optrole openssl_opts[] = {{"-in", OR_READ},
                                          {"-out", OR_WRITE},
                                          {"-keyout", OR_WRITE},
                                          {"-sign", OR_READ},
                                          {"-verify", OR_READ},
                                          {"-prverify", OR_READ},
                                          {"-CA", OR_READ},
                                          {"-CAkey", OR_READ},
                                          {"-certfile", OR_READ},
                                          {"-signer", OR_READ},
                                          {"-recip", OR_READ},
                                          {"-config", OR_READ},
                                          {"-extfile", OR_READ},
                                          {"-key", OR_READ},
                                          {"-inkey", OR_READ},
                                          {"-cert", OR_READ},
                                          {"-CAfile", OR_READ},
                                          {"-signkey", OR_READ},
                                          {"-kfile", OR_READ},
                                          {"-passin", OR_CONFIG},
                                          {"-pass", OR_CONFIG},
                                          {NULL, 0}};
static const char *const gpg_long[] = {"output",          "recipient",   "local-user", "homedir",
                                       "passphrase-file", "default-key", NULL};
static const sh_optrole gpg_opts[] = {{"-o", OR_WRITE},
                                      {"--output", OR_WRITE},
                                      {"--passphrase-file", OR_READ},
                                      {"--homedir", OR_READ},
                                      {NULL, 0}};

/* ---- writing, copying, deleting ---------------------------------------- */

static const char *const cp_long[] = {"target-directory", "suffix",  "backup",
                                      "reflink",          "sparse",  "preserve",
                                      "no-preserve",      "context", NULL};
static const sh_optrole cp_opts[] = {
    {"-t", OR_TARGET}, {"--target-directory", OR_TARGET}, {NULL, 0}};
static const char *const du_long[] = {"max-depth",    "block-size",  "threshold",  "exclude",
                                      "exclude-from", "files0-from", "time-style", NULL};
static const sh_optrole du_opts[] = {
    {"-X", OR_READ}, {"--exclude-from", OR_READ}, {"--files0-from", OR_READ}, {NULL, 0}};
/* gzip and the other compressors: in place unless told to keep the file */
static const sh_optrole compress_opts[] = {
    {"-c", OR_KEEP_FLAG},     {"--stdout", OR_KEEP_FLAG}, {"--to-stdout", OR_KEEP_FLAG},
    {"-k", OR_KEEP_FLAG},     {"--keep", OR_KEEP_FLAG},   {"-t", OR_KEEP_FLAG},
    {"--test", OR_KEEP_FLAG}, {"-l", OR_KEEP_FLAG},       {"--list", OR_KEEP_FLAG},
    {"-o", OR_WRITE},         {"--output", OR_WRITE},     {NULL, 0}};
static const char *const install_long[] = {"target-directory", "mode",          "owner", "group",
                                           "suffix",           "strip-program", NULL};
static const char *const mkdir_long[] = {"mode", "context", NULL};
static const char *const truncate_long[] = {"size", "reference", NULL};
static const sh_optrole truncate_opts[] = {{"-r", OR_READ}, {"--reference", OR_READ}, {NULL, 0}};
static const char *const shred_long[] = {"iterations", "random-source", "size", "remove", NULL};
static const sh_optrole shred_opts[] = {
    {"-u", OR_DELETE_FLAG}, {"--remove", OR_DELETE_FLAG}, {NULL, 0}};
static const char *const chmod_long[] = {"reference", NULL};
static const char *const chown_long[] = {"reference", "from", NULL};
static const sh_optrole ref_opts[] = {{"--reference", OR_OPERAND_ONE}, {NULL, 0}};
static const char *const touch_long[] = {"date", "reference", "time", NULL};
static const char *const ln_long[] = {"target-directory", "suffix", "backup", NULL};
static const sh_optrole dd_opts[] = {{"if=", OR_READ}, {"of=", OR_WRITE}, {NULL, 0}};
static const char *const split_long[] = {
    "bytes", "lines", "line-bytes", "number", "suffix-length", "additional-suffix", "filter", NULL};

/* ---- archives ----------------------------------------------------------- */

static const char *const tar_long[] = {"file",
                                       "directory",
                                       "exclude",
                                       "files-from",
                                       "exclude-from",
                                       "transform",
                                       "owner",
                                       "group",
                                       "mode",
                                       "mtime",
                                       "use-compress-program",
                                       "to-command",
                                       "checkpoint-action",
                                       "index-file",
                                       "format",
                                       "blocking-factor",
                                       "record-size",
                                       "newer",
                                       "info-script",
                                       "new-volume-script",
                                       NULL};
static const sh_optrole tar_opts[] = {{"-C", OR_CWD},
                                      {"--directory", OR_CWD},
                                      {"-T", OR_READ},
                                      {"--files-from", OR_READ},
                                      {"-X", OR_READ},
                                      {"--exclude-from", OR_READ},
                                      {"-t", OR_LIST_FLAG},
                                      {"--list", OR_LIST_FLAG},
                                      {"--to-command", OR_CODE},
                                      {"-I", OR_CODE},
                                      {"--use-compress-program", OR_CODE},
                                      {"--info-script", OR_CODE},
                                      {"--new-volume-script", OR_CODE},
                                      {"--checkpoint-action", OR_CONFIG},
                                      {NULL, 0}};
static const char *const zip_long[] = {"password", "temp-path",   "exclude",
                                       "include",  "output-file", NULL};
static const sh_optrole zip_opts[] = {{"-O", OR_WRITE},
                                      {"--output-file", OR_WRITE},
                                      {"-TT", OR_CODE},
                                      {"--unzip-command", OR_CODE},
                                      {NULL, 0}};
static const sh_optrole unzip_opts[] = {{"-d", OR_WRITE}, {NULL, 0}};

/* ---- network ------------------------------------------------------------ */

static const char *const curl_long[] = {"data",
                                        "data-binary",
                                        "data-raw",
                                        "data-urlencode",
                                        "data-ascii",
                                        "json",
                                        "form",
                                        "form-string",
                                        "upload-file",
                                        "output",
                                        "config",
                                        "cookie",
                                        "cookie-jar",
                                        "cacert",
                                        "capath",
                                        "cert",
                                        "key",
                                        "header",
                                        "user",
                                        "user-agent",
                                        "referer",
                                        "request",
                                        "url",
                                        "proxy",
                                        "resolve",
                                        "connect-to",
                                        "max-time",
                                        "connect-timeout",
                                        "retry",
                                        "output-dir",
                                        "trace",
                                        "trace-ascii",
                                        "dump-header",
                                        "write-out",
                                        "range",
                                        "limit-rate",
                                        "max-filesize",
                                        "interface",
                                        "dns-servers",
                                        "oauth2-bearer",
                                        "proxy-user",
                                        "netrc-file",
                                        "stderr",
                                        "unix-socket",
                                        "abstract-unix-socket",
                                        "pubkey",
                                        "engine",
                                        "ciphers",
                                        "crlfile",
                                        "hostpubsha256",
                                        "variable",
                                        "expand-url",
                                        "expand-data",
                                        "aws-sigv4",
                                        "noproxy",
                                        "preproxy",
                                        "socks5",
                                        "socks5-hostname",
                                        "socks4",
                                        "socks4a",
                                        "mail-from",
                                        "mail-rcpt",
                                        "keepalive-time",
                                        "retry-delay",
                                        "retry-max-time",
                                        "ftp-port",
                                        "quote",
                                        "krb",
                                        "telnet-option",
                                        "tls-max",
                                        "local-port",
                                        "happy-eyeballs-timeout-ms",
                                        "expect100-timeout",
                                        NULL};
static const sh_optrole curl_opts[] = {{"-o", OR_WRITE},
                                       {"-x", OR_URL},
                                       {"--proxy", OR_URL},
                                       {"--preproxy", OR_URL},
                                       {"--socks4", OR_URL},
                                       {"--socks4a", OR_URL},
                                       {"--socks5", OR_URL},
                                       {"--socks5-hostname", OR_URL},
                                       {"--resolve", OR_RESOLVE},
                                       {"--connect-to", OR_RESOLVE},
                                       {"--output", OR_WRITE},
                                       {"-T", OR_UPLOAD},
                                       {"--upload-file", OR_UPLOAD},
                                       {"-d", OR_UPLOAD_AT},
                                       {"--data", OR_UPLOAD_AT},
                                       {"--data-binary", OR_UPLOAD_AT},
                                       {"--data-urlencode", OR_UPLOAD_NAMED},
                                       {"--data-ascii", OR_UPLOAD_AT},
                                       {"--json", OR_UPLOAD_AT},
                                       {"-F", OR_UPLOAD_AT},
                                       {"--form", OR_UPLOAD_AT},
                                       {"-K", OR_READ},
                                       {"--config", OR_READ},
                                       {"-c", OR_WRITE},
                                       {"--cookie-jar", OR_WRITE},
                                       {"--cacert", OR_READ},
                                       {"-E", OR_READ},
                                       {"--cert", OR_READ},
                                       {"--key", OR_READ},
                                       {"--netrc-file", OR_READ},
                                       {"--url", OR_URL},
                                       {"-D", OR_WRITE},
                                       {"--dump-header", OR_WRITE},
                                       {"--trace", OR_WRITE},
                                       {"--trace-ascii", OR_WRITE},
                                       {"--stderr", OR_WRITE},
                                       {"--output-dir", OR_CWD},
                                       {NULL, 0}};
static const char *const wget_long[] = {"output-document",
                                        "output-file",
                                        "append-output",
                                        "input-file",
                                        "post-data",
                                        "post-file",
                                        "body-data",
                                        "body-file",
                                        "directory-prefix",
                                        "user",
                                        "password",
                                        "header",
                                        "user-agent",
                                        "referer",
                                        "load-cookies",
                                        "save-cookies",
                                        "ca-certificate",
                                        "certificate",
                                        "private-key",
                                        "tries",
                                        "timeout",
                                        "wait",
                                        "method",
                                        "execute",
                                        "limit-rate",
                                        "level",
                                        "accept",
                                        "reject",
                                        "domains",
                                        "exclude-domains",
                                        "bind-address",
                                        "config",
                                        NULL};
static const sh_optrole wget_opts[] = {{"-O", OR_WRITE},
                                       {"--output-document", OR_WRITE},
                                       {"-o", OR_WRITE},
                                       {"--output-file", OR_WRITE},
                                       {"-a", OR_WRITE},
                                       {"--append-output", OR_WRITE},
                                       {"-i", OR_READ},
                                       {"--input-file", OR_READ},
                                       {"--post-file", OR_UPLOAD},
                                       {"--body-file", OR_UPLOAD},
                                       {"-P", OR_CWD},
                                       {"--directory-prefix", OR_CWD},
                                       {"--load-cookies", OR_READ},
                                       {"--save-cookies", OR_WRITE},
                                       {"--ca-certificate", OR_READ},
                                       {"--certificate", OR_READ},
                                       {"--private-key", OR_READ},
                                       {"--config", OR_READ},
                                       {"-e", OR_CONFIG},
                                       {"--execute", OR_CONFIG},
                                       {NULL, 0}};
static const sh_optrole ssh_opts[] = {{"-i", OR_AUTH}, {"-F", OR_AUTH},   {"-E", OR_WRITE},
                                      {"-S", OR_READ}, {"-o", OR_CONFIG}, {"-J", OR_HOSTS},
                                      {NULL, 0}};
static const sh_optrole scp_opts[] = {{"-i", OR_AUTH},  {"-F", OR_AUTH},   {"-S", OR_EXEC},
                                      {"-J", OR_HOSTS}, {"-o", OR_CONFIG}, {NULL, 0}};
static const char *const rsync_long[] = {
    "rsh",          "rsync-path",   "exclude",     "include",
    "exclude-from", "include-from", "files-from",  "password-file",
    "log-file",     "temp-dir",     "partial-dir", "backup-dir",
    "suffix",       "filter",       "chmod",       "chown",
    "bwlimit",      "timeout",      "port",        "compare-dest",
    "copy-dest",    "link-dest",    NULL};
static const sh_optrole rsync_opts[] = {{"-e", OR_CODE},
                                        {"--rsh", OR_CODE},
                                        {"--rsync-path", OR_CODE},
                                        {"--files-from", OR_READ},
                                        {"--exclude-from", OR_READ},
                                        {"--include-from", OR_READ},
                                        {"--password-file", OR_READ},
                                        {"--log-file", OR_WRITE},
                                        {NULL, 0}};
static const sh_optrole nc_opts[] = {
    {"-e", OR_EXEC},         {"--exec", OR_EXEC}, {"-c", OR_CODE},        {"--sh-exec", OR_CODE},
    {"--lua-exec", OR_EXEC}, {"-o", OR_WRITE},    {"--output", OR_WRITE}, {NULL, 0}};
static const char *const nc_long[] = {
    "exec", "sh-exec",      "lua-exec", "output",     "source",     "source-port",
    "wait", "idle-timeout", "proxy",    "proxy-type", "proxy-auth", "allow",
    "deny", "allowfile",    "denyfile", "max-conns",  NULL};
static const char *const dig_long[] = {NULL};

/* ---- subcommands --------------------------------------------------------- */

static const char *const git_groups[] = {"stash",       "remote", "worktree", "submodule",
                                         "notes",       "bisect", "lfs",      "sparse-checkout",
                                         "maintenance", "reflog", "bundle",   NULL};
static const char *const git_abbrev[] = {"--hard",
                                         "--soft",
                                         "--mixed",
                                         "--merge",
                                         "--keep",
                                         "--force",
                                         "--force-with-lease",
                                         "--force-if-includes",
                                         "--delete",
                                         "--mirror",
                                         "--all",
                                         "--tags",
                                         "--prune",
                                         "--dry-run",
                                         "--quiet",
                                         "--no-verify",
                                         "--set-upstream",
                                         "--recurse-submodules",
                                         "--ours",
                                         "--theirs",
                                         "--staged",
                                         "--worktree",
                                         "--source",
                                         "--interactive",
                                         "--exclude",
                                         "--global",
                                         "--system",
                                         "--local",
                                         "--unset",
                                         "--unset-all",
                                         "--replace-all",
                                         "--add",
                                         "--get",
                                         "--list",
                                         "--file",
                                         "--no-checkout",
                                         "--orphan",
                                         "--detach",
                                         "--track",
                                         "--no-track",
                                         "--patch",
                                         "--move",
                                         "--copy",
                                         "--no-verify",
                                         "--amend",
                                         "--allow-empty",
                                         "--no-edit",
                                         "--signoff",
                                         "--exec",
                                         "--upload-pack",
                                         "--template",
                                         "--config",
                                         "--depth",
                                         "--branch",
                                         "--origin",
                                         "--bare",
                                         "--mirror",
                                         "--shared",
                                         NULL};
static const char *const git_long[] = {"git-dir",   "work-tree",  "namespace", "super-prefix",
                                       "exec-path", "config-env", "list-cmds", NULL};
static const sh_optrole git_opts[] = {
    {"-C", OR_CWD},           {"-c", OR_CONFIG},      {"--config-env", OR_CONFIG},
    {"--exec-path", OR_EXEC}, {"--git-dir", OR_READ}, {NULL, 0}};
static const sh_subspec git_sub = {2, git_groups, git_abbrev, NULL, NULL, NULL};

static const char *const npm_groups[] = {"config",  "cache",    "token", "access",
                                         "owner",   "dist-tag", "team",  "org",
                                         "profile", "pkg",      NULL};
static const char *const npm_long[] = {
    "registry", "prefix",   "userconfig", "globalconfig", "cache", "workspace", "otp",    "tag",
    "access",   "loglevel", "scope",      "auth-type",    "cwd",   "dir",       "filter", NULL};
static const sh_optrole npm_opts[] = {
    {"--prefix", OR_CWD},      {"-C", OR_CWD},         {"--cwd", OR_CWD}, {"--dir", OR_CWD},
    {"--userconfig", OR_READ}, {"--registry", OR_URL}, {NULL, 0}};
static const char *const npm_aliases[] = {"i",
                                          "install",
                                          "in",
                                          "install",
                                          "ins",
                                          "install",
                                          "inst",
                                          "install",
                                          "isnt",
                                          "install",
                                          "add",
                                          "install",
                                          "rm",
                                          "uninstall",
                                          "r",
                                          "uninstall",
                                          "un",
                                          "uninstall",
                                          "remove",
                                          "uninstall",
                                          "unlink",
                                          "uninstall",
                                          "ic",
                                          "ci",
                                          "clean-install",
                                          "ci",
                                          "install-clean",
                                          "ci",
                                          "run-script",
                                          "run",
                                          "rum",
                                          "run",
                                          "urn",
                                          "run",
                                          "x",
                                          "exec",
                                          "t",
                                          "test",
                                          "tst",
                                          "test",
                                          "c",
                                          "config",
                                          "ln",
                                          "link",
                                          "up",
                                          "update",
                                          "upgrade",
                                          "update",
                                          NULL};
static const sh_subspec npm_sub = {2, npm_groups, NULL, npm_aliases, NULL, NULL};
static const char *const pnpm_aliases[] = {
    "i",      "install",   "add",    "add",  "rm",     "remove",  "un",
    "remove", "uninstall", "remove", "up",   "update", "upgrade", "update",
    "x",      "exec",      "t",      "test", "ls",     "list",    NULL};
static const sh_subspec pnpm_sub = {2, npm_groups, NULL, pnpm_aliases, NULL, NULL};
static const char *const yarn_groups[] = {"npm",    "workspaces", "workspace",   "plugin",
                                          "config", "cache",      "constraints", NULL};
static const sh_subspec yarn_sub = {2, yarn_groups, NULL, NULL, NULL, NULL};
static const char *const bun_aliases[] = {"i",      "install", "a", "add", "rm",
                                          "remove", "x",       "x", NULL};
static const sh_subspec bun_sub = {1, NULL, NULL, bun_aliases, NULL, NULL};

static const char *const pip_long[] = {
    "index-url", "extra-index-url", "find-links", "trusted-host", "requirement",     "constraint",
    "target",    "prefix",          "root",       "src",          "cache-dir",       "log",
    "proxy",     "timeout",         "python",     "platform",     "config-settings", NULL};
static const sh_optrole pip_opts[] = {{"-r", OR_READ},
                                      {"--requirement", OR_READ},
                                      {"-c", OR_READ},
                                      {"--constraint", OR_READ},
                                      {"-i", OR_URL},
                                      {"--index-url", OR_URL},
                                      {"--extra-index-url", OR_URL},
                                      {"-f", OR_URL},
                                      {"--find-links", OR_URL},
                                      {"--trusted-host", OR_URL},
                                      {NULL, 0}};
static const char *const pip_groups[] = {"config", "cache", NULL};
static const sh_subspec pip_sub = {2, pip_groups, NULL, NULL, NULL, NULL};

static const char *const cargo_long[] = {
    "manifest-path", "config", "color",   "target-dir", "registry", "index",   "token", "features",
    "package",       "bin",    "example", "target",     "jobs",     "profile", NULL};
static const sh_optrole cargo_opts[] = {{"-C", OR_CWD},          {"--manifest-path", OR_READ},
                                        {"--index", OR_URL},     {"--registry", OR_CONFIG},
                                        {"--config", OR_CONFIG}, {NULL, 0}};
static const sh_subspec one_sub = {1, NULL, NULL, NULL, NULL, NULL};
static const char *const cargo_aliases[] = {"b",   "build", "c",    "check", "d",      "doc", "r",
                                            "run", "t",     "test", "rm",    "remove", NULL};
static const sh_subspec cargo_sub = {1, NULL, NULL, cargo_aliases, NULL, NULL};

static const char *const docker_groups[] = {"compose", "container", "image",   "network", "volume",
                                            "buildx",  "system",    "builder", "plugin",  "secret",
                                            "swarm",   "node",      "service", "stack",   "trust",
                                            "context", "manifest",  "config",  NULL};
static const char *const docker_long[] = {"context",   "host",    "config", "log-level",
                                          "tlscacert", "tlscert", "tlskey", NULL};
static const sh_optrole docker_opts[] = {
    {"-H", OR_URL}, {"--host", OR_URL}, {"--config", OR_AUTH}, {NULL, 0}};
static const sh_subspec docker_sub = {2, docker_groups, NULL, NULL, NULL, NULL};

static const char *const kubectl_groups[] = {"config",   "rollout", "auth",   "certificate", "set",
                                             "create",   "top",     "plugin", "alpha",       "get",
                                             "describe", "delete",  "edit",   NULL};
static const char *const kubectl_long[] = {"namespace",
                                           "context",
                                           "kubeconfig",
                                           "server",
                                           "cluster",
                                           "user",
                                           "token",
                                           "as",
                                           "as-group",
                                           "certificate-authority",
                                           "client-certificate",
                                           "client-key",
                                           "request-timeout",
                                           "output",
                                           "selector",
                                           "filename",
                                           "field-selector",
                                           "container",
                                           NULL};
static const sh_optrole kubectl_opts[] = {{"--kubeconfig", OR_AUTH}, {"-s", OR_URL},
                                          {"--server", OR_URL},      {"-f", OR_READ},
                                          {"--filename", OR_READ},   {NULL, 0}};
static const sh_subspec kubectl_sub = {2, kubectl_groups, NULL, NULL, NULL, NULL};

static const char *const helm_groups[] = {"repo", "plugin", "registry", "dependency",
                                          "get",  "show",   NULL};
static const char *const helm_long[] = {
    "namespace",         "kube-context", "kubeconfig", "registry-config",
    "repository-config", "values",       "set",        "set-string",
    "set-file",          "version",      "repo",       NULL};
static const char *const helm_aliases[] = {"delete", "uninstall", "del", "uninstall",
                                           "un",     "uninstall", "ls",  "list",
                                           "fetch",  "pull",      NULL};
static const sh_subspec helm_sub = {2, helm_groups, NULL, helm_aliases, NULL, NULL};

static const char *const gh_long[] = {
    "repo", "hostname",  "jq",    "template", "method", "field", "raw-field", "header", "input",
    "body", "body-file", "title", "base",     "head",   "label", "assignee",  NULL};
static const sh_optrole gh_opts[] = {{"--body-file", OR_UPLOAD}, {"--input", OR_UPLOAD}, {NULL, 0}};
static const sh_subspec two_sub = {2, NULL, NULL, NULL, NULL, NULL};
/* gcloud and az: GROUP [SUBGROUP] ACTION; the action ends the path */
static const char *const cloud_verbs[] = {
    "delete",   "create",  "list",    "describe", "update",  "deploy",  "ssh",      "scp",
    "set",      "unset",   "get",     "add",      "remove",  "login",   "logout",   "revoke",
    "activate", "enable",  "disable", "start",    "stop",    "restart", "reset",    "resize",
    "import",   "export",  "submit",  "cancel",   "run",     "call",    "publish",  "pull",
    "access",   "destroy", "apply",   "undelete", "connect", "show",    "download", "upload",
    "cp",       "mv",      "rm",      "ls",       "cat",     "purge",   "invoke",   "browse",
    "open",     "wait",    "tail",    "read",     "write",   "attach",  "detach",   "move",
    "rename",   "grant",   "assign",  "clone",    "backup",  "restore", "failover", "promote",
    "patch",    "replace", "rotate",  "sign",     "verify",  "encrypt", "decrypt",  "init",
    NULL};
static const sh_subspec three_sub = {3, NULL, NULL, NULL, cloud_verbs, NULL};
static const char *const aws_long[] = {
    "profile", "region",    "output",           "endpoint-url",
    "query",   "ca-bundle", "cli-read-timeout", "cli-connect-timeout",
    "color",   NULL};
static const sh_optrole aws_opts[] = {
    {"--endpoint-url", OR_URL}, {"--ca-bundle", OR_READ}, {NULL, 0}};
static const char *const gcloud_long[] = {
    "project",   "account", "configuration", "format",
    "verbosity", "zone",    "region",        "impersonate-service-account",
    "flatten",   "filter",  "sort-by",       "limit",
    NULL};
static const char *const az_long[] = {"subscription", "output",   "query", "resource-group",
                                      "name",         "location", NULL};
static const char *const tf_groups[] = {"state", "workspace", "providers", NULL};
static const sh_subspec tf_sub = {2, tf_groups, NULL, NULL, NULL, NULL};
static const char *const systemctl_long[] = {"host",   "machine",   "property", "type", "state",
                                             "signal", "kill-whom", "root",     NULL};
static const char *const crontab_long[] = {NULL};
static const sh_optrole crontab_opts[] = {{"-u", OR_CONFIG}, {NULL, 0}};
static const char *const yarn_long[] = {"cwd", "registry", "cache-folder", "modules-folder", NULL};
static const sh_optrole yarn_opts[] = {{"--cwd", OR_CWD}, {"--registry", OR_URL}, {NULL, 0}};
static const char *const pnpm_long[] = {"dir",       "filter",        "registry",
                                        "store-dir", "workspace-dir", NULL};
static const sh_optrole pnpm_opts[] = {
    {"-C", OR_CWD}, {"--dir", OR_CWD}, {"--registry", OR_URL}, {NULL, 0}};
static const char *const make_long[] = {"directory",  "file",         "makefile", "include-dir",
                                        "jobs",       "load-average", "old-file", "what-if",
                                        "assume-new", "assume-old",   "eval",     NULL};
static const sh_optrole make_opts[] = {
    {"-C", OR_CWD},          {"--directory", OR_CWD}, {"-f", OR_READ}, {"--file", OR_READ},
    {"--makefile", OR_READ}, {"--eval", OR_CODE},     {NULL, 0}};
static const sh_optrole find_opts[] = {{"-delete", OR_DELETE_FLAG}, {"-fprint", OR_WRITE},
                                       {"-fprint0", OR_WRITE},      {"-fprintf", OR_WRITE},
                                       {"-fls", OR_WRITE},          {NULL, 0}};
static const char *const mount_long[] = {"types", "options", "source", "target", NULL};
static const sh_optrole source_opts[] = {{NULL, 0}};
static const char *const socat_long[] = {NULL};
static const char *const gem_long[] = {"source", "host", "key", "otp", "config-file", NULL};
static const sh_optrole gem_opts[] = {
    {"--source", OR_URL}, {"--host", OR_URL}, {"--config-file", OR_READ}, {NULL, 0}};
static const char *const twine_long[] = {"repository", "repository-url", "username",
                                         "password",   "config-file",    "sign-with",
                                         "identity",   "comment",        NULL};
static const sh_optrole twine_opts[] = {
    {"--repository-url", OR_URL}, {"--config-file", OR_READ}, {NULL, 0}};
static const char *const security_long[] = {NULL};

static const char *const vault_groups[] = {"kv",     "secrets", "auth", "token",
                                           "policy", "transit", NULL};
static const char *const vault_long[] = {"address", "namespace", "field", "format", "mount", NULL};
static const sh_subspec vault_sub = {2, vault_groups, NULL, NULL, NULL, NULL};
static const char *const op_groups[] = {"item", "document", "vault", "account",
                                        "user", "connect",  NULL};
static const sh_subspec op_sub = {2, op_groups, NULL, NULL, NULL, NULL};
static const char *const go_long[] = {"C", NULL};
static const sh_optrole go_opts[] = {{"-C", OR_CWD}, {NULL, 0}};
static const char *const cloudflared_long[] = {"config", "origincert", "loglevel", "metrics", NULL};
static const char *const xterm_long[] = {"display", NULL};
static const sh_optrole xterm_opts[] = {{"-display", OR_URL}, {"--display", OR_URL}, {NULL, 0}};
static const char *const vim_long[] = {"cmd", NULL};
static const char *const http_long[] = {
    "auth",     "auth-type", "session",       "session-read-only",
    "output",   "download",  "verify",        "cert",
    "cert-key", "proxy",     "print",         "pretty",
    "style",    "timeout",   "max-redirects", NULL};
static const sh_optrole http_opts[] = {{"-o", OR_WRITE}, {"--output", OR_WRITE}, {NULL, 0}};

static const char *const agent_cli_groups[] = {"mcp",        "plugin", "plugins",
                                               "extensions", "config", NULL};
static const sh_subspec agent_cli_sub = {2, agent_cli_groups, NULL, NULL, NULL, NULL};
static const char *const dpkg_long[] = {"root", "admindir", "instdir", NULL};
static const sh_optrole dpkg_opts[] = {{"-i", OR_EXEC}, {"--install", OR_EXEC}, {NULL, 0}};

static const char *const dart_groups[] = {"pub", NULL};
static const sh_subspec dart_sub = {2, dart_groups, NULL, NULL, NULL, NULL};
static const char *const jf_groups[] = {"rt", "npm", "docker", NULL};
static const sh_subspec jf_sub = {2, jf_groups, NULL, NULL, NULL, NULL};

#define ROW(n, as, al, op, sk, opts, sub, fl)                                                      \
    {                                                                                              \
        n, as, al, op, sk, opts, sub, fl                                                           \
    }

/* Sorted by name (binary search). */
static const sh_know rows[] = {
    ROW("7z", "", NONE_L, OP_FIRST, 1, NULL, NULL, 0),
    ROW("ag", "ABCGmp", grep_long, OP_READ, 1, grep_opts, NULL, 0),
    ROW("ar", "", NONE_L, OP_FIRST, 1, NULL, NULL, 0),
    ROW("awk", "fFv", awk_long, OP_READ, 1, awk_opts, NULL, 0),
    ROW("aws", "", aws_long, OP_NONE, 0, aws_opts, &two_sub, K_SUBS | K_NET | K_SPECIAL),
    ROW("az", "o", az_long, OP_NONE, 0, NULL, &three_sub, K_SUBS | K_NET),
    ROW("azcopy", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET | K_SPECIAL),
    ROW("base32", "w", base64_long, OP_READ, 0, NULL, NULL, 0),
    ROW("base64", "w", base64_long, OP_READ, 0, NULL, NULL, 0),
    ROW("basenc", "w", base64_long, OP_READ, 0, NULL, NULL, 0),
    ROW("bat", "lmrHL", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("batcat", "lmrHL", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("brew", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("buildah", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("bun", "", NONE_L, OP_NONE, 0, NULL, &bun_sub, K_SUBS | K_NET),
    ROW("bunzip2", "", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("bw", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("bzip2", "", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("cargo", "Zj", cargo_long, OP_NONE, 0, cargo_opts, &cargo_sub, K_SUBS | K_NET | K_PLUS),
    ROW("cat", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("cdk", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("changeset", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("chattr", "pv", NONE_L, OP_WRITE, 1, NULL, NULL, 0),
    ROW("chgrp", "", chown_long, OP_WRITE, 1, ref_opts, NULL, 0),
    ROW("chmod", "", chmod_long, OP_WRITE, 1, ref_opts, NULL, 0),
    ROW("chown", "", chown_long, OP_WRITE, 1, ref_opts, NULL, 0),
    ROW("cksum", "a", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("claude", "p", NONE_L, OP_NONE, 0, NULL, &agent_cli_sub, K_SUBS),
    ROW("cloudflared", "", cloudflared_long, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("cmp", "in", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("code", "g", NONE_L, OP_EDIT, 0, NULL, NULL, 0),
    ROW("codex", "cm", NONE_L, OP_NONE, 0, NULL, &agent_cli_sub, K_SUBS),
    ROW("column", "csoNRHWETOl", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("comm", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("composer", "d", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("conan", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("conda", "n", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("copilot", "p", NONE_L, OP_NONE, 0, NULL, &agent_cli_sub, K_SUBS),
    ROW("cp", "tS", cp_long, OP_COPY, 0, cp_opts, NULL, 0),
    ROW("crane", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("crontab", "u", crontab_long, OP_READ, 0, crontab_opts, NULL, K_SPECIAL),
    ROW("curl", "dDFHoTKcbeEruUXAxywCzmQtP", curl_long, OP_URL, 0, curl_opts, NULL,
        K_NET | K_SPECIAL),
    ROW("cursor-agent", "p", NONE_L, OP_NONE, 0, NULL, &agent_cli_sub, K_SUBS),
    ROW("cut", "bcdf", cut_long, OP_READ, 0, NULL, NULL, 0),
    ROW("dart", "", NONE_L, OP_NONE, 0, NULL, &dart_sub, K_SUBS | K_NET),
    ROW("dd", "", NONE_L, OP_NONE, 0, dd_opts, NULL, 0),
    ROW("deno", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("devtunnel", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("diff", "FILCUSx", diff_long, OP_READ, 0, diff_opts, NULL, 0),
    ROW("dig", "bcfkpqtxy", dig_long, OP_URL, 0, NULL, NULL, K_NET | K_DNS),
    ROW("docker", "Hcl", docker_long, OP_NONE, 0, docker_opts, &docker_sub, K_SUBS | K_NET),
    ROW("doppler", "", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("dotnet", "", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("dpkg", "", dpkg_long, OP_NONE, 0, dpkg_opts, NULL, 0),
    ROW("drill", "", NONE_L, OP_URL, 0, NULL, NULL, K_NET | K_DNS),
    ROW("du", "dBt", du_long, OP_LIST, 0, du_opts, NULL, 0),
    ROW("echo", "", NONE_L, OP_NONE, 0, NULL, NULL, K_DATA),
    ROW("ed", "p", NONE_L, OP_EDIT, 0, NULL, NULL, 0),
    ROW("egrep", "efABCmd", grep_long, OP_READ, 1, grep_opts, NULL, 0),
    ROW("emacs", "", NONE_L, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("ex", "cSTuw", vim_long, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("expand", "t", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("fgrep", "efABCmd", grep_long, OP_READ, 1, grep_opts, NULL, 0),
    ROW("file", "emfFP", NONE_L, OP_LIST, 0, NULL, NULL, 0),
    ROW("find", "", NONE_L, OP_LIST, 0, find_opts, NULL, K_SPECIAL),
    ROW("firebase", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("flit", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("flutter", "", NONE_L, OP_NONE, 0, NULL, &dart_sub, K_SUBS | K_NET),
    ROW("fly", "a", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("flyctl", "a", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("fmt", "wpg", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("fold", "w", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("ftp", "", NONE_L, OP_URL, 0, NULL, NULL, K_NET),
    ROW("gawk", "fFvEi", awk_long, OP_READ, 1, awk_opts, NULL, 0),
    ROW("gcloud", "", gcloud_long, OP_NONE, 0, NULL, &three_sub, K_SUBS | K_NET),
    ROW("gedit", "", NONE_L, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("gem", "", gem_long, OP_NONE, 0, gem_opts, &one_sub, K_SUBS | K_NET),
    ROW("gemini", "pm", NONE_L, OP_NONE, 0, NULL, &agent_cli_sub, K_SUBS),
    ROW("gh", "RqtbBHLFfX", gh_long, OP_NONE, 0, gh_opts, &two_sub, K_SUBS | K_NET | K_SPECIAL),
    ROW("git", "Cc", git_long, OP_NONE, 0, git_opts, &git_sub, K_SUBS | K_NET | K_SPECIAL),
    ROW("go", "", go_long, OP_NONE, 0, go_opts, &one_sub, K_SUBS | K_NET),
    ROW("gopass", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("goreleaser", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("gpg", "ourf", gpg_long, OP_READ, 0, gpg_opts, NULL, K_SPECIAL),
    ROW("gpg2", "ourf", gpg_long, OP_READ, 0, gpg_opts, NULL, K_SPECIAL),
    ROW("gradle", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("gradlew", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("grep", "efABCmd", grep_long, OP_READ, 1, grep_opts, NULL, 0),
    ROW("gsutil", "mhuo", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET | K_SPECIAL),
    ROW("gunzip", "S", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("gzip", "S", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("hatch", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("head", "nc", head_long, OP_READ, 0, NULL, NULL, 0),
    ROW("helm", "n", helm_long, OP_NONE, 0, NULL, &helm_sub, K_SUBS | K_NET),
    ROW("heroku", "a", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("hexdump", "eEfns", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("host", "cNRtW", NONE_L, OP_URL, 0, NULL, NULL, K_NET | K_DNS),
    ROW("http", "aoAv", http_long, OP_URL, 0, http_opts, NULL, K_NET | K_SPECIAL),
    ROW("https", "aoAv", http_long, OP_URL, 0, http_opts, NULL, K_NET | K_SPECIAL),
    ROW("iconv", "fto", iconv_long, OP_READ, 0, out_opts, NULL, 0),
    ROW("infisical", "", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("install", "gmotS", install_long, OP_COPY, 0, cp_opts, NULL, 0),
    ROW("jf", "", NONE_L, OP_NONE, 0, NULL, &jf_sub, K_SUBS | K_NET),
    ROW("jfrog", "", NONE_L, OP_NONE, 0, NULL, &jf_sub, K_SUBS | K_NET),
    ROW("join", "12jtaoev", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("jq", "", jq_long, OP_READ, 1, jq_opts, NULL, 0),
    ROW("ko", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("kubectl", "nsfolcL", kubectl_long, OP_NONE, 0, kubectl_opts, &kubectl_sub, K_SUBS | K_NET),
    ROW("launchctl", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("lerna", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("less", "bhjkopPtTxyz", NONE_L, OP_READ, 0, NULL, NULL, K_PLUS),
    ROW("ln", "tS", ln_long, OP_COPY, 0, cp_opts, NULL, 0),
    ROW("loginctl", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("look", "t", NONE_L, OP_READ, 1, NULL, NULL, 0),
    ROW("lpass", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("ls", "ITw", NONE_L, OP_LIST, 0, NULL, NULL, 0),
    ROW("lz4", "", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("make", "CfIjloWe", make_long, OP_NONE, 0, make_opts, NULL, 0),
    ROW("mamba", "n", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("maturin", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("mawk", "fFv", awk_long, OP_READ, 1, awk_opts, NULL, 0),
    ROW("md5sum", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("micro", "", NONE_L, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("mix", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("mkdir", "m", mkdir_long, OP_WRITE, 0, NULL, NULL, 0),
    ROW("mkfifo", "m", mkdir_long, OP_WRITE, 0, NULL, NULL, 0),
    ROW("more", "n", NONE_L, OP_READ, 0, NULL, NULL, K_PLUS),
    ROW("mount", "tLUoO", mount_long, OP_WRITE, 0, NULL, NULL, 0),
    ROW("mv", "tS", cp_long, OP_MOVE, 0, cp_opts, NULL, 0),
    ROW("mvn", "fsP", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("mvnw", "fsP", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("nano", "", NONE_L, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("nawk", "fFv", awk_long, OP_READ, 1, awk_opts, NULL, 0),
    ROW("nc", "eciIMmOpPqsTVwXx", nc_long, OP_URL, 0, nc_opts, NULL, K_NET | K_SPECIAL),
    ROW("nc.openbsd", "eciIMmOpPqsTVwXx", nc_long, OP_URL, 0, nc_opts, NULL, K_NET | K_SPECIAL),
    ROW("nc.traditional", "eciIMmOpPqsTVwXx", nc_long, OP_URL, 0, nc_opts, NULL, K_NET | K_SPECIAL),
    ROW("ncat", "ecmdgGiopPswx", nc_long, OP_URL, 0, nc_opts, NULL, K_NET | K_SPECIAL),
    ROW("netcat", "eciIMmOpPqsTVwXx", nc_long, OP_URL, 0, nc_opts, NULL, K_NET | K_SPECIAL),
    ROW("ngrok", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("nl", "bdfhilnsvw", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("npm", "w", npm_long, OP_NONE, 0, npm_opts, &npm_sub, K_SUBS | K_NET),
    ROW("nslookup", "", NONE_L, OP_URL, 0, NULL, NULL, K_NET | K_DNS),
    ROW("nvim", "cSTuw", vim_long, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("od", "AjNtw", od_long, OP_READ, 0, NULL, NULL, 0),
    ROW("op", "", NONE_L, OP_NONE, 0, NULL, &op_sub, K_SUBS | K_NET),
    /* operands are option values (-days 365, -newkey rsa:2048), not files */
    ROW("openssl", "", NONE_L, OP_NONE, 0, openssl_opts, &one_sub, K_SUBS),
    ROW("oras", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("ovsx", "p", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("pass", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("paste", "d", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("pdm", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("ping", "cIisStWwQlM", NONE_L, OP_URL, 0, NULL, NULL, K_NET | K_DNS),
    ROW("pip", "rcief", pip_long, OP_NONE, 0, pip_opts, &pip_sub, K_SUBS | K_NET),
    ROW("pip3", "rcief", pip_long, OP_NONE, 0, pip_opts, &pip_sub, K_SUBS | K_NET),
    ROW("pipenv", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("pipx", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("pnpm", "C", pnpm_long, OP_NONE, 0, pnpm_opts, &pnpm_sub, K_SUBS | K_NET),
    ROW("pod", "", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("podman", "c", docker_long, OP_NONE, 0, docker_opts, &docker_sub, K_SUBS | K_NET),
    ROW("poetry", "C", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("pr", "hlwoN", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("prempti", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("printf", "v", NONE_L, OP_NONE, 0, NULL, NULL, K_DATA),
    ROW("prisma", "", NONE_L, OP_NONE, 0, NULL, &two_sub, K_SUBS | K_NET),
    ROW("pulumi", "s", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("rails", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("rake", "f", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("rclone", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET | K_SPECIAL),
    ROW("rev", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("rg", "ABCegEfjmMtTr", rg_long, OP_READ, 1, rg_opts, NULL, 0),
    ROW("rm", "", NONE_L, OP_DELETE, 0, NULL, NULL, 0),
    ROW("rmdir", "", NONE_L, OP_DELETE, 0, NULL, NULL, 0),
    ROW("rsync", "eBfT", rsync_long, OP_COPY, 0, rsync_opts, NULL, K_NET | K_SPECIAL),
    ROW("rye", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("scp", "cFiJlPoS", NONE_L, OP_COPY, 0, scp_opts, NULL, K_NET | K_SPECIAL),
    ROW("secret-tool", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("security", "", security_long, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_SPECIAL),
    ROW("sed", "efl", sed_long, OP_READ, 1, sed_opts, NULL, 0),
    ROW("serverless", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("sftp", "BbcDFiJlPRSs", NONE_L, OP_URL, 0, scp_opts, NULL, K_NET),
    ROW("sha1sum", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("sha256sum", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("sha512sum", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("shred", "nsx", shred_long, OP_WRITE, 0, shred_opts, NULL, 0),
    ROW("shuf", "nio", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("skopeo", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("sls", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("socat", "", socat_long, OP_NONE, 0, NULL, NULL, K_NET | K_SPECIAL),
    ROW("sops", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("sort", "oktSTz", sort_long, OP_READ, 0, sort_opts, NULL, 0),
    ROW("source", "", NONE_L, OP_EXEC, 0, source_opts, NULL, 0),
    ROW("split", "abClnt", split_long, OP_IO, 0, NULL, NULL, 0),
    ROW("sponge", "", NONE_L, OP_WRITE, 0, NULL, NULL, 0),
    ROW("sqlite3", "", NONE_L, OP_EDIT_ONE, 0, NULL, NULL, 0),
    ROW("ssh", "BbcDEeFIiJLlmOopQRSWw", NONE_L, OP_URL, 0, ssh_opts, NULL,
        K_NET | K_SPECIAL | K_PERMUTE),
    ROW("stat", "cf", NONE_L, OP_LIST, 0, NULL, NULL, 0),
    ROW("strings", "nte", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("subl", "", NONE_L, OP_EDIT, 0, NULL, NULL, 0),
    ROW("systemctl", "HMpPtsn", systemctl_long, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("tac", "s", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("tail", "nc", head_long, OP_READ, 0, NULL, NULL, 0),
    ROW("tar", "fCTXbgHIKLNV", tar_long, OP_READ, 0, tar_opts, NULL, K_SPECIAL),
    ROW("tee", "", NONE_L, OP_WRITE, 0, NULL, NULL, 0),
    ROW("telnet", "blLnS", NONE_L, OP_URL, 0, NULL, NULL, K_NET),
    ROW("tenv", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS),
    ROW("terraform", "", NONE_L, OP_NONE, 0, NULL, &tf_sub, K_SUBS | K_NET),
    ROW("touch", "dtr", touch_long, OP_WRITE, 0, NULL, NULL, 0),
    ROW("tree", "LPIoH", NONE_L, OP_LIST, 0, out_opts, NULL, 0),
    ROW("truncate", "sr", truncate_long, OP_WRITE, 0, truncate_opts, NULL, 0),
    ROW("tsort", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("twine", "ruc", twine_long, OP_NONE, 0, twine_opts, &one_sub, K_SUBS | K_NET),
    ROW("unexpand", "t", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("uniq", "fsw", NONE_L, OP_IO, 0, NULL, NULL, 0),
    ROW("unlink", "", NONE_L, OP_DELETE, 0, NULL, NULL, 0),
    ROW("unxz", "", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("unzip", "dPx", NONE_L, OP_READ, 0, unzip_opts, NULL, 0),
    ROW("uv", "", NONE_L, OP_NONE, 0, pip_opts, &two_sub, K_SUBS | K_NET),
    ROW("vault", "", vault_long, OP_NONE, 0, NULL, &vault_sub, K_SUBS | K_NET),
    ROW("vercel", "", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("vi", "cSTuw", vim_long, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("view", "cSTuw", vim_long, OP_READ, 0, NULL, NULL, K_PLUS),
    ROW("vim", "cSTuw", vim_long, OP_EDIT, 0, NULL, NULL, K_PLUS),
    ROW("vsce", "p", NONE_L, OP_NONE, 0, NULL, &one_sub, K_SUBS | K_NET),
    ROW("wc", "", NONE_L, OP_READ, 0, NULL, NULL, 0),
    ROW("wget", "OoaiPUeTtwQlADR", wget_long, OP_URL, 0, wget_opts, NULL, K_NET | K_SPECIAL),
    ROW("wipefs", "o", NONE_L, OP_WRITE, 0, NULL, NULL, 0),
    ROW("xh", "aoAv", http_long, OP_URL, 0, http_opts, NULL, K_NET | K_SPECIAL),
    ROW("xterm", "", xterm_long, OP_NONE, 0, xterm_opts, NULL, K_NET),
    ROW("xxd", "cglos", xxd_long, OP_IO, 0, NULL, NULL, 0),
    ROW("xz", "", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("yarn", "", yarn_long, OP_NONE, 0, yarn_opts, &yarn_sub, K_SUBS | K_NET),
    ROW("yq", "", jq_long, OP_READ, 1, jq_opts, &yq_sub, K_SUBS),
    ROW("zip", "bntxi", zip_long, OP_FIRST, 0, zip_opts, NULL, 0),
    ROW("zstd", "o", NONE_L, OP_EDIT, 0, compress_opts, NULL, 0),
    ROW("ztcp", "d", NONE_L, OP_URL, 0, NULL, NULL, K_NET),
};


int sh_know_sorted(void)
{
    for (size_t i = 1; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (strcmp(rows[i - 1].name, rows[i].name) >= 0)
            return 0;
    return 1;
}

const sh_know *sh_know_find(pe_str base)
{
    size_t lo = 0, hi = sizeof(rows) / sizeof(rows[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = sh_cmp(base, rows[mid].name);
        if (c == 0)
            return &rows[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

unsigned sh_know_optrole(const sh_know *k, const char *opt, size_t len)
{
    pe_str w = {opt, len};
    for (const sh_optrole *o = k->opts; o && o->opt; o++)
        if (sh_eq(w, o->opt))
            return o->role;
    return 0;
}

int sh_know_short_arg(const sh_know *k, char c)
{
    return c && strchr(k->arg_short, c) != NULL;
}

int sh_know_long_arg(const sh_know *k, const char *name, size_t len)
{
    for (const char *const *l = k->arg_long; *l; l++)
        if (strlen(*l) == len && memcmp(*l, name, len) == 0)
            return 1;
    return 0;
}
