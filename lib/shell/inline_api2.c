/*
 * What the APIs of PHP, Lua, R, AppleScript and PowerShell (its .NET
 * side; cmdlets are in inline_ps.c) do, one row per API, and the lookup.
 * PHP, AppleScript and PowerShell names are lower case (those languages
 * ignore case); PowerShell type names lose their "System." prefix.
 * Each table is sorted by name (strcmp), which the tests check.
 */
#include <string.h>

#include "shell/inline_internal.h"

static const inl_api php_api[] = {
    PURE("array", X_LIST),
    EVAL("assert", 0, NULL, F_STRONLY),
    DEC("base64_decode", X_B64),
    ROW("call_user_func", H_CALLFUNC, 0, 0, -1, NULL, NULL, F_DYNAMIC, 0),
    ROW("call_user_func_array", H_CALLARRAY, 0, 0, -1, NULL, NULL, F_DYNAMIC, 0),
    PURE("chr", X_CHR),
    DEC("convert_uudecode", X_OPAQUE),
    COPY("copy", 0, NULL, NULL),
    EVAL("create_function", 1, NULL, 0),
    URL("curl_init", 0, NULL),
    RD("curl_setopt", 2, NULL, F_URL | F_URLONLY),
    PURE("escapeshellarg", X_QUOTE),
    PURE("escapeshellcmd", X_ID),
    EVAL("eval", 0, NULL, 0),
    SH("exec", NULL),
    SH("expect_popen", NULL),
    RD("file", 0, NULL, F_URL),
    RD("file_get_contents", 0, NULL, F_URL),
    WR("file_put_contents", 0, NULL),
    OPEN("fopen", 0, 1, NULL, NULL, F_URL),
    HOSTPORT("fsockopen", 0, NULL, NULL, F_SOCKET),
    HOSTPORT("ftp_connect", 0, NULL, NULL, 0),
    URL("get_headers", 0, NULL),
    DEC("gzdecode", X_OPAQUE),
    DEC("gzinflate", X_OPAQUE),
    DEC("gzuncompress", X_OPAQUE),
    DEC("hex2bin", X_HEX),
    RD("highlight_file", 0, NULL, 0),
    PURE("implode", X_JOIN),
    RD("include", 0, NULL, F_URL | F_EXEC),
    RD("include_once", 0, NULL, F_URL | F_EXEC),
    PURE("join", X_JOIN),
    WR("mkdir", 0, NULL),
    MOVE("move_uploaded_file", 0, NULL, NULL),
    RD("parse_ini_file", 0, NULL, 0),
    SH("passthru", NULL),
    EXECA("pcntl_exec", 0, 1),
    HOSTPORT("pfsockopen", 0, NULL, NULL, F_SOCKET),
    SH("popen", NULL),
    CMD("proc_open"),
    PURE("rawurldecode", X_URL),
    RD("readfile", 0, NULL, F_URL),
    MOVE("rename", 0, NULL, NULL),
    RD("require", 0, NULL, F_URL | F_EXEC),
    RD("require_once", 0, NULL, F_URL | F_EXEC),
    DEL("rmdir", 0, NULL),
    SH("shell_exec", NULL),
    RD("show_source", 0, NULL, 0),
    RD("simplexml_load_file", 0, NULL, F_URL),
    HOSTPORT("socket_connect", 1, NULL, NULL, F_SOCKET),
    FLAG("socket_create", F_SOCKET),
    HOSTPORT("ssh2_connect", 0, NULL, NULL, 0),
    DEC("str_rot13", X_ROT13),
    ADDR("stream_socket_client", 0, NULL, NULL, F_SOCKET),
    PURE("strrev", X_REV),
    WR("symlink", 1, NULL),
    SH("system", NULL),
    WR("touch", 0, NULL),
    DELS("unlink", 0),
    PURE("urldecode", X_URL),
};

static const inl_api lua_api[] = {
    PURE(".reverse", X_REV),
    RD("dofile", 0, NULL, F_EXEC),
    RD("io.input", 0, NULL, 0),
    RD("io.lines", 0, NULL, 0),
    OPEN("io.open", 0, 1, NULL, NULL, 0),
    WR("io.output", 0, NULL),
    SH("io.popen", NULL),
    EVAL("load", 0, NULL, F_STRONLY),
    RD("loadfile", 0, NULL, F_EXEC),
    EVAL("loadstring", 0, NULL, 0),
    DEC("mime.unb64", X_B64),
    SH("os.execute", NULL),
    DEL("os.remove", 0, NULL),
    MOVE("os.rename", 0, NULL, NULL),
    EXECA("posix.exec", 0, 1),
    IMPORT("require"),
    HOSTPORT("socket.connect", 0, NULL, NULL, F_SOCKET),
    URL("socket.http.request", 0, NULL),
    FLAG("socket.tcp", F_SOCKET),
    HOSTPORT("socket.tcp.connect", 0, NULL, NULL, F_SOCKET),
    FLAG("socket.udp", F_SOCKET),
    URL("ssl.https.request", 0, NULL),
    PURE("string.char", X_CHR),
    PURE("string.reverse", X_REV),
    PURE("table.concat", X_JOIN),
};

static const inl_api r_api[] = {
    RD("RCurl.getURL", 0, "url", F_URL),
    RD("RCurl.getURLContent", 0, "url", F_URL),
    DEC("base64enc.base64decode", X_B64),
    PURE("c", X_LIST),
    WR("cat", -1, "file"),
    URL("curl.curl", 0, "url"),
    DL("curl.curl_download", 0, 1, "url", "destfile"),
    URL("curl.curl_fetch_memory", 0, "url"),
    WR("dir.create", 0, "path"),
    DL("download.file", 0, 1, "url", "destfile"),
    EVAL("eval", 0, "expr", 0),
    OPEN("file", 0, 1, "description", "open", F_URL),
    COPY("file.copy", 0, "from", "to"),
    WR("file.create", 0, NULL),
    PURE("file.path", X_JOINPATH),
    DELS("file.remove", 0),
    MOVE("file.rename", 0, "from", "to"),
    URL("httr.DELETE", 0, "url"),
    URL("httr.GET", 0, "url"),
    URL("httr.HEAD", 0, "url"),
    URL("httr.PATCH", 0, "url"),
    URL("httr.POST", 0, "url"),
    URL("httr.PUT", 0, "url"),
    URL("httr.VERB", 1, "url"),
    URL("httr2.request", 0, "base_url"),
    PURE("intToUtf8", X_CHR),
    DEC("jsonlite.base64_dec", X_B64),
    RD("jsonlite.fromJSON", 0, "txt", F_URL | F_URLONLY),
    PURE("list", X_LIST),
    RD("load", 0, "file", F_URL),
    HOSTPORT("make.socket", 0, "host", "port", F_SOCKET),
    DEC("memDecompress", X_OPAQUE),
    DEC("openssl.base64_decode", X_B64),
    PUREKW("parse", "text", X_ID),
    PURE("paste", X_PASTE),
    PURE("paste0", X_CONCAT),
    PURE("path.expand", X_ID),
    SH("pipe", "description"),
    SPAWN("processx.run", "command", "args"),
    PURE("rawToChar", X_ID),
    RD("read.csv", 0, "file", F_URL),
    RD("read.csv2", 0, "file", F_URL),
    RD("read.delim", 0, "file", F_URL),
    RD("read.table", 0, "file", F_URL),
    RD("readBin", 0, "con", F_URL),
    RD("readChar", 0, "con", F_URL),
    RD("readLines", 0, "con", F_URL),
    RD("readRDS", 0, "file", F_URL),
    WR("saveRDS", 1, "file"),
    RD("scan", 0, "file", F_URL),
    SH("shell", "cmd"),
    WR("sink", 0, "file"),
    HOSTPORT("socketConnection", 0, "host", "port", F_SOCKET),
    RD("source", 0, "file", F_URL | F_EXEC),
    PUREKW("str2expression", "text", X_ID),
    PUREKW("str2lang", "s", X_ID),
    SPAWN("sys.exec_background", "cmd", "args"),
    SPAWN("sys.exec_internal", "cmd", "args"),
    SPAWN("sys.exec_wait", "cmd", "args"),
    SH("system", "command"),
    SPAWN("system2", "command", "args"),
    DELS("unlink", 0),
    URL("url", 0, "description"),
    WR("write", 1, "file"),
    WR("write.csv", 1, "file"),
    WR("write.csv2", 1, "file"),
    WR("write.table", 1, "file"),
    WR("writeLines", 1, "con"),
};

static const inl_api applescript_api[] = {
    PURE("alias", X_ID),
    DEL("delete", 0, NULL),
    SH("do script", NULL),
    SH("do shell script", NULL),
    PURE("file", X_ID),
    RD("load script", 0, NULL, F_EXEC),
    RD("open for access", 0, NULL, 0),
    URL("open location", 0, NULL),
    PURE("posix file", X_ID),
    PURE("posix path of", X_ID),
    PURE("quoted form of", X_QUOTE),
    RD("read", 0, NULL, 0),
    EVAL("run script", 0, NULL, 0),
};

static const inl_api powershell_api[] = {
    URL(".downloaddata", 0, NULL),
    DL(".downloadfile", 0, 1, NULL, NULL),
    URL(".downloadstring", 0, NULL),
    URL(".getasync", 0, NULL),
    FLAG(".getstream", F_REDIRECT),
    URL(".getstringasync", 0, NULL),
    URL(".openread", 0, NULL),
    URL(".uploaddata", 0, NULL),
    URL(".uploadfile", 0, NULL),
    URL(".uploadstring", 0, NULL),
    URL(".uploadvalues", 0, NULL),
    DEC("convert.frombase64string", X_B64),
    SPAWN("diagnostics.process.start", NULL, NULL),
    DEC("io.compression.deflatestream", X_OPAQUE),
    DEC("io.compression.gzipstream", X_OPAQUE),
    DEL("io.directory.delete", 0, NULL),
    WR("io.file.appendalltext", 0, NULL),
    COPY("io.file.copy", 0, NULL, NULL),
    WR("io.file.create", 0, NULL),
    DEL("io.file.delete", 0, NULL),
    MOVE("io.file.move", 0, NULL, NULL),
    RD("io.file.openread", 0, NULL, 0),
    RD("io.file.opentext", 0, NULL, 0),
    WR("io.file.openwrite", 0, NULL),
    RD("io.file.readallbytes", 0, NULL, 0),
    RD("io.file.readalllines", 0, NULL, 0),
    RD("io.file.readalltext", 0, NULL, 0),
    WR("io.file.writeallbytes", 0, NULL),
    WR("io.file.writealllines", 0, NULL),
    WR("io.file.writealltext", 0, NULL),
    FLAG("net.sockets.socket", F_SOCKET),
    HOSTPORT("net.sockets.tcpclient", 0, NULL, NULL, F_SOCKET),
    HOSTPORT("net.sockets.tcpclient.new", 0, NULL, NULL, F_SOCKET),
    FLAG("net.sockets.udpclient", F_SOCKET),
    FLAG("net.webclient", F_NET),
    FLAG("net.webclient.new", F_NET),
    URL("net.webrequest.create", 0, NULL),
    FLAG("reflection.assembly.load", F_DYNAMIC),
    EVAL("scriptblock.create", 0, NULL, 0),
    PURE("text.encoding.ascii.getstring", X_ID),
    PURE("text.encoding.default.getstring", X_ID),
    PURE("text.encoding.unicode.getstring", X_U16),
    PURE("text.encoding.utf8.getstring", X_ID),
};

/* awk has no call table: its scanner (inline_awk.c) reads system(), pipes
 * and redirections itself. */
static const inl_api awk_api[] = {SH("system", NULL)};

const inl_lang inl_php = {PE_LANG_PHP, "php", TABLE(php_api), L_CI | L_PARENLESS, ".", lex_php};
const inl_lang inl_lua = {PE_LANG_LUA, "lua", TABLE(lua_api), L_PARENLESS, "..", lex_lua};
const inl_lang inl_r = {PE_LANG_R, "r", TABLE(r_api), 0, "", lex_r};
const inl_lang inl_applescript = {
    PE_LANG_APPLESCRIPT, "applescript", TABLE(applescript_api), L_CI | L_PARENLESS | L_NL_ENDS, "&",
    lex_applescript};
const inl_lang inl_powershell = {PE_LANG_POWERSHELL, "powershell", TABLE(powershell_api),
                                 L_CI | L_NL_ENDS,   "+",          lex_powershell};
const inl_lang inl_awk = {PE_LANG_AWK, "awk", TABLE(awk_api), L_NL_ENDS | L_JUXTA, "", lex_awk};

const inl_lang *inl_lang_get(pe_lang lang)
{
    static const inl_lang *const all[] = {
        NULL,     &inl_python, &inl_js,          &inl_perl,       &inl_ruby, &inl_php,
        &inl_lua, &inl_r,      &inl_applescript, &inl_powershell, &inl_awk};
    return (unsigned)lang < sizeof(all) / sizeof(all[0]) ? all[lang] : NULL;
}

/* strcmp order between name (len bytes, may hold any byte) and a row's name. */
static int cmp_name(const char *name, size_t len, const char *row)
{
    size_t rl = strlen(row);
    int r = memcmp(name, row, len < rl ? len : rl);
    return r ? r : len < rl ? -1 : len > rl ? 1 : 0;
}

const inl_api *inl_api_find(const inl_lang *L, const char *name, size_t len)
{
    size_t lo = 0, hi = L->napi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cmp_name(name, len, L->api[mid].name);
        if (r == 0)
            return &L->api[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
