// The ceiling of the bench: a FastCGI responder that does no work.  It reads the whole
// request body (as a real worker must), then answers a POST with 201 and a small JSON
// image object, and any other request with 200 and the bytes of LIST_BODY_FILE (bench/run
// stores a real first page of imghost's catalog there, so the list ceiling moves the
// same number of bytes).  Same process model as imghost-fcgi: a parent that forks N
// workers sharing one listening socket, and stops them on SIGTERM/SIGINT.
//
//   trivial_fcgi SOCKET WORKERS LIST_BODY_FILE
#include <fcgiapp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

constexpr char kCreated[] =
    "{\"id\":\"aaaaaaaaaaaaaaaaaaaa\",\"url\":\"/images/aaaaaaaaaaaaaaaaaaaa.jpg\","
    "\"thumbnail_url\":\"/images/thumbs/aaaaaaaaaaaaaaaaaaaa.jpg\",\"filename\":\"aaaaaaaaaaaaaaaaaaaa.jpg\","
    "\"original_filename\":\"bench.jpg\",\"size\":314848,\"format\":\"jpeg\",\"content_type\":\"image/jpeg\","
    "\"width\":1920,\"height\":1080,\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"description\":null,\"created_at\":\"2026-11-23T10:00:00Z\"}\n";

volatile sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

int serve(int listen_fd, const std::string& list_body) {
  FCGX_Request req;
  if (FCGX_InitRequest(&req, listen_fd, 0) != 0) return 1;
  std::vector<char> buf(1 << 16);
  while (!g_stop && FCGX_Accept_r(&req) >= 0) {
    std::size_t total = 0;
    for (;;) {
      const int n = FCGX_GetStr(buf.data(), static_cast<int>(buf.size()), req.in);
      if (n <= 0) break;
      total += static_cast<std::size_t>(n);
    }
    const char* method = FCGX_GetParam("REQUEST_METHOD", req.envp);
    const bool post = method && std::strcmp(method, "POST") == 0;
    if (post) {
      FCGX_FPrintF(req.out, "Status: 201 Created\r\nContent-Type: application/json\r\n\r\n");
      FCGX_PutStr(kCreated, static_cast<int>(sizeof kCreated - 1), req.out);
    } else {
      FCGX_FPrintF(req.out, "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n");
      FCGX_PutStr(list_body.data(), static_cast<int>(list_body.size()), req.out);
    }
    (void)total;
    FCGX_Finish_r(&req);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s SOCKET WORKERS LIST_BODY_FILE\n", argv[0]);
    return 2;
  }
  const std::string socket_path = argv[1];
  const int workers = std::atoi(argv[2]);
  std::ifstream in(argv[3], std::ios::binary);
  const std::string list_body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    std::fprintf(stderr, "trivial_fcgi: cannot read %s\n", argv[3]);
    return 1;
  }
  if (FCGX_Init() != 0) return 1;
  ::unlink(socket_path.c_str());
  const int fd = FCGX_OpenSocket(socket_path.c_str(), 1024);
  if (fd < 0) {
    std::fprintf(stderr, "trivial_fcgi: cannot listen on %s\n", socket_path.c_str());
    return 1;
  }
  ::chmod(socket_path.c_str(), 0777);

  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, &old);
  std::vector<pid_t> children;
  for (int i = 0; i < workers; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      struct sigaction sa {};
      sa.sa_handler = on_stop;
      sigaction(SIGTERM, &sa, nullptr);
      sigaction(SIGINT, &sa, nullptr);
      signal(SIGPIPE, SIG_IGN);
      sigprocmask(SIG_SETMASK, &old, nullptr);
      _exit(serve(fd, list_body));
    }
    if (pid > 0) children.push_back(pid);
  }
  std::fprintf(stderr, "trivial_fcgi: %d started %zu workers on %s\n", getpid(), children.size(), socket_path.c_str());
  int sig = 0;
  sigwait(&mask, &sig);
  for (const pid_t pid : children) kill(pid, SIGKILL);  // they hold no state
  for (const pid_t pid : children) waitpid(pid, nullptr, 0);
  ::unlink(socket_path.c_str());
  return 0;
}
