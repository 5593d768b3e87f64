// Control socket: a unix stream socket speaking one request line -> one
// response line. Any number of clients, sequential or concurrent.
#pragma once

#include "glib_ptr.hpp"

#include <gio/gio.h>

#include <functional>
#include <list>
#include <memory>
#include <string>

namespace qmisim
{

class ControlServer
{
  public:
    // Maps a request line (without newline) to a response line.
    using LineHandler = std::function<std::string(const std::string &line)>;

    ControlServer(std::string path, LineHandler handler);
    ControlServer(const ControlServer &) = delete;
    ControlServer &operator=(const ControlServer &) = delete;
    ~ControlServer();

    bool start(std::string &error);

  private:
    class Session;

    static gboolean on_incoming(GSocketService *, GSocketConnection *connection, GObject *,
                                gpointer self);
    void remove(Session *session);

    std::string path_;
    LineHandler handler_;
    GObjectPtr<GSocketService> service_;
    std::list<std::shared_ptr<Session>> sessions_;
};

} // namespace qmisim
