#pragma once
// Boost.Beast and Asio, with the short names the server's .cpp files use. Heavy to compile:
// include it only from the files that do network I/O.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace netlens::server {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using Request = http::request<http::string_body>;

}  // namespace netlens::server
