#include "server/endpoints.hpp"

#include "server/digits/session.hpp"
#include "server/ingest/service.hpp"
#include "server/inside/session.hpp"
#include "server/lurk/session.hpp"
#include "server/playground/session.hpp"
#include "server/runs/session.hpp"
#include "server/upload/service.hpp"

namespace netlens::server {

std::vector<Endpoint> view_endpoints(const ViewOptions& options, Budget& memory) {
  auto images = std::make_shared<digits::ImageDataCache>(memory);
  auto live = std::make_shared<LiveRuns>();  // held by every row that reads or writes it
  const digits::DigitsOptions digits_options{options.models_dir, options.mnist_dir, options.runs_dir, live.get()};
  std::vector<Endpoint> endpoints{
      {"/ws",
       [runs = options.runs_dir, keep = options.keep_runs, open = options.open_run, live](Outbox& outbox, Budget& budget) {
         return std::make_unique<playground::PlaygroundSession>(outbox, &budget, playground::RunsFolder{runs, live.get(), keep},
                                                                train::RunSpec{}, open);
       }},
      {"/ws/digits",
       [digits_options, images, live](Outbox& outbox, Budget& budget) {
         return std::make_unique<digits::DigitsSession>(outbox, digits_options, budget, *images);
       }},
      {"/ws/inside", [](Outbox& outbox, Budget& budget) { return std::make_unique<inside::InsideSession>(outbox, budget); }},
      {"/ws/lurk",
       [lurk_options = lurk::LurkOptions{options.models_dir, options.mnist_dir, options.runs_dir, live.get()}, images,
        live](Outbox& outbox, Budget& budget) {
         return std::make_unique<lurk::LurkSession>(outbox, lurk_options, budget, *images);
       }},
      {"/ws/runs",
       [runs = options.runs_dir, keep = options.keep_runs, live](Outbox& outbox, Budget&) {
         return std::make_unique<runs::RunsSession>(outbox, runs, *live, keep);
       }},
  };
  endpoints.push_back(upload::model_upload_endpoint(options.models_dir));
  if (!options.runs_dir.empty()) endpoints.push_back(ingest::ingest_endpoint(options.runs_dir, live));
  return endpoints;
}

}  // namespace netlens::server
