#pragma once
// The policy engine: DESIGN.md §4 steps 2..8 as one pure function of (request, matrix).
//
// No I/O, no clock, no randomness: the time is Request::now, so a decision can be replayed
// exactly from its trace. Step 1 (authentication: terminal certificate, COSE signature, card
// chain, directory match, freshness, replay) is node/authn's job and has happened before
// Decide() is called; the engine trusts Request::actor.
//
// Evaluation order (the first rule that denies decides; see rules.h for the ids):
//   0 request shape -> 2 dossier state / retention -> 3 blocked -> 3b actor may ask this ->
//   4 mode and authorization -> 5 per document on read / 6 on write / lifecycle checks ->
//   allow, with the obligations of steps 4, 7 and 8 attached.
// A list is the read decision applied to each document: Decision::visible holds the indexes
// of the documents the actor may read, and the decision says nothing about the others.

#include "node/policy/matrix.h"
#include "node/policy/model.h"

namespace carnet::node::policy {

class Engine {
 public:
  // `matrix` must outlive the engine.
  explicit Engine(const HabilitationMatrix& matrix) : matrix_(matrix) {}

  Decision Decide(const Request& request) const;

  // Step 5 alone: may the actor of `request` read `document`? (Used by Decide for read and
  // list; exposed for the store's listing path and for tests.)
  Decision ReadDocument(const Request& request, const Document& document) const;

 private:
  const HabilitationMatrix& matrix_;
};

}  // namespace carnet::node::policy
