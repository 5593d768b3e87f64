#include "control.hpp"

#include <gio/gunixsocketaddress.h>

#include <unistd.h>

namespace qmisim
{

class ControlServer::Session : public std::enable_shared_from_this<Session>
{
  public:
    Session(ControlServer &server, GSocketConnection *connection)
        : server_(server), connection_(G_SOCKET_CONNECTION(g_object_ref(connection))),
          input_(g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(connection)))),
          cancellable_(g_cancellable_new())
    {
    }
    ~Session() { g_cancellable_cancel(cancellable_.get()); }

    void read_next()
    {
        // The callback may run after the session is gone; it holds only a weak ref.
        auto *weak = new std::weak_ptr<Session>(weak_from_this());
        g_data_input_stream_read_line_async(input_.get(), G_PRIORITY_DEFAULT, cancellable_.get(),
                                            on_line, weak);
    }

  private:
    static void on_line(GObject *source, GAsyncResult *result, gpointer data)
    {
        std::unique_ptr<std::weak_ptr<Session>> weak{static_cast<std::weak_ptr<Session> *>(data)};
        ErrorSlot error;
        gsize length = 0;
        GCharPtr line{g_data_input_stream_read_line_finish(G_DATA_INPUT_STREAM(source), result,
                                                           &length, error.out())};
        const auto self = weak->lock();
        if (!self)
            return;
        if (!line) {
            self->server_.remove(self.get()); // EOF or error: client went away
            return;
        }
        std::string request{line.get(), length};
        if (!request.empty() && request.back() == '\r')
            request.pop_back();
        const std::string response = self->server_.handler_(request) + "\n";
        GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(self->connection_.get()));
        if (!g_output_stream_write_all(out, response.data(), response.size(), nullptr,
                                       self->cancellable_.get(), error.out())) {
            self->server_.remove(self.get());
            return;
        }
        self->read_next();
    }

    ControlServer &server_;
    GObjectPtr<GSocketConnection> connection_;
    GObjectPtr<GDataInputStream> input_;
    GObjectPtr<GCancellable> cancellable_;
};

ControlServer::ControlServer(std::string path, LineHandler handler)
    : path_(std::move(path)), handler_(std::move(handler))
{
}

ControlServer::~ControlServer()
{
    sessions_.clear();
    if (service_) {
        g_socket_service_stop(service_.get());
        g_socket_listener_close(G_SOCKET_LISTENER(service_.get()));
        ::unlink(path_.c_str());
    }
}

bool ControlServer::start(std::string &error)
{
    ::unlink(path_.c_str());
    service_.reset(g_socket_service_new());
    GObjectPtr<GSocketAddress> address{g_unix_socket_address_new(path_.c_str())};
    ErrorSlot gerror;
    if (!g_socket_listener_add_address(G_SOCKET_LISTENER(service_.get()), address.get(),
                                       G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, nullptr,
                                       nullptr, gerror.out())) {
        error = std::string{"control socket: "} + gerror.message();
        service_.reset();
        return false;
    }
    g_signal_connect(service_.get(), "incoming", G_CALLBACK(on_incoming), this);
    g_socket_service_start(service_.get());
    return true;
}

gboolean ControlServer::on_incoming(GSocketService *, GSocketConnection *connection, GObject *,
                                    gpointer data)
{
    auto *self = static_cast<ControlServer *>(data);
    auto session = std::make_shared<Session>(*self, connection);
    self->sessions_.push_back(session);
    session->read_next();
    return TRUE;
}

void ControlServer::remove(Session *session)
{
    sessions_.remove_if([session](const auto &s) { return s.get() == session; });
}

} // namespace qmisim
