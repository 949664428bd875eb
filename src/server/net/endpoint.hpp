#pragma once
// What the transport knows of a view: a WebSocket path and how to start the view's session on
// a new connection. The session talks back through an Outbox; the transport knows nothing else
// of it. The server's endpoint table (server/endpoints.cpp) has one row per view.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/net/budget.hpp"

namespace netlens::server {

// One WebSocket message on its way out; shared so a frame is never copied per reader.
struct Outgoing {
  std::shared_ptr<const std::string> bytes;
  bool binary = false;
};

// The connection's side, for its session: thread-safe, quick, and never calls back into the
// session.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Messages in order, each sent exactly once.
  virtual void send(Outgoing message) = 0;
  // Something new waits in ViewSession::take_newest(): taken when the socket is next free.
  virtual void newest_ready() = 0;
};

// One connection's session of a view. Its destructor stops its work: after it returns, the
// session calls its Outbox no more.
class ViewSession {
 public:
  virtual ~ViewSession() = default;
  // One client text message; whatever is wrong with it is answered through the Outbox.
  virtual void receive(std::string_view text) = 0;
  // The newest of what only the newest matters of (a frame), when the socket is free; called
  // on the connection's thread. Empty: nothing new since the last call.
  virtual std::vector<Outgoing> take_newest() = 0;
};

// An HTTP POST answered at once (the ingest endpoint): the body as received, the reply to send.
struct PostReply {
  unsigned status = 200;
  std::string body;  // JSON
};

struct Endpoint {
  std::string path;  // "/ws/digits"
  // Builds a session for a new connection; `memory` is the server's budget of session memory.
  // An exception refuses the connection with its text (1013, try again later).
  std::function<std::unique_ptr<ViewSession>(Outbox& outbox, Budget& memory)> open;
  // Or, for a POST endpoint (no `open`): its answer to a body of `content_type` of at most
  // `max_body` bytes. The transport refuses what a web page could send: a request with an
  // Origin (403), another content type (415), a larger body (413); and charges the body to the
  // memory budget while it is read and handled (503 when it does not fit).
  std::function<PostReply(std::string_view body)> post{};
  // Or a POST from this server's own pages (an upload): the request must carry the server's own
  // Origin (a browser's fetch always does; another site's page has its own, and a client with
  // none is refused too) besides the token every request needs; `query` is the target's query
  // ("name=mine.onnx"). The type, size and budget rules are post's.
  std::function<PostReply(std::string_view query, std::string_view body)> page_post{};
  std::string content_type{};
  std::size_t max_body = 0;
};

}  // namespace netlens::server
