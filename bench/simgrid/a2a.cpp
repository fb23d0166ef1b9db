// SPDX-License-Identifier: MIT
// bench/simgrid/a2a.cpp - the SimGrid side of the like-for-like comparison
// in the README ("Against SimGrid"): N actors on a SPLITDUPLEX cluster,
// each sending SIZE bytes to every other actor in each of ROUNDS rounds and
// then receiving the N - 1 messages of the round.  Mailboxes are eager (a
// permanent receiver), so a message does not wait for its receiver to ask
// for it, as in mpcsim.  Not part of the build (SimGrid is not a
// dependency of mpcsim):
//
//   apt-get install libsimgrid-dev
//   g++ -O2 -o a2a a2a.cpp $(pkg-config --cflags --libs simgrid)
//   ./a2a cluster200.xml 200 10 49 --cfg=network/latency-factor:1 \
//       --cfg=network/bandwidth-factor:1 --log=root.thres:critical
#include <simgrid/s4u.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

static int N, ROUNDS;
static double SIZE;

static void party(int id)
{
  sg4::Mailbox* me = sg4::Mailbox::by_name("p" + std::to_string(id));
  std::vector<sg4::Mailbox*> boxes;
  static int token;

  for (int j = 0; j < N; j++)
    boxes.push_back(sg4::Mailbox::by_name("p" + std::to_string(j)));
  me->set_receiver(sg4::Actor::self());
  for (int r = 0; r < ROUNDS; r++) {
    std::vector<sg4::CommPtr> sends;

    for (int j = 0; j < N; j++)
      if (j != id)
        sends.push_back(boxes[j]->put_async(&token, SIZE));
    for (int k = 0; k < N - 1; k++)
      (void)me->get<int>();
    sg4::Comm::wait_all(sends);
  }
}

int main(int argc, char** argv)
{
  sg4::Engine e(&argc, argv);

  if (argc != 5) {
    std::fprintf(stderr, "usage: %s PLATFORM.xml N ROUNDS BYTES [--cfg=...]\n", argv[0]);
    return 2;
  }
  N = std::stoi(argv[2]);
  ROUNDS = std::stoi(argv[3]);
  SIZE = std::stod(argv[4]);
  e.load_platform(argv[1]);
  std::vector<sg4::Host*> hosts = e.get_all_hosts();
  if ((int)hosts.size() < N) {
    std::fprintf(stderr, "%s: the platform has %zu hosts, fewer than %d\n", argv[0], hosts.size(), N);
    return 2;
  }
  for (int i = 0; i < N; i++)
    sg4::Actor::create("p" + std::to_string(i), hosts[i], party, i);
  e.run();
  std::printf("simulated %.6f s, %d messages\n", e.get_clock(), N * (N - 1) * ROUNDS);
  return 0;
}
