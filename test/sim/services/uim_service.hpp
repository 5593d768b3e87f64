// UIM (service 0x0B): the SIM card's files, PINs and card status.
//
//   uim_service.cpp - QMI request handlers and the Card Status indication
//   uim_control.cpp - "sim.*" state keys and the "sim insert|remove" command
// The card itself is ../card.cpp (rules) and ../card_files.cpp (contents),
// the TLV layouts are in uim_tlv.cpp.
#pragma once

#include "../tlv.hpp"
#include "pin_command.hpp"
#include "service.hpp"

#include <optional>

namespace qmisim
{

class UimService final : public Service
{
  public:
    explicit UimService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    std::vector<CommandSpec> commands() override;
    void on_card_changed() override;
    void on_boot() override;

  private:
    // --- handlers (uim_service.cpp)
    MessagePtr reset(QmiMessage *request);
    MessagePtr read_transparent(QmiMessage *request);
    MessagePtr read_record(QmiMessage *request);
    MessagePtr write_transparent(QmiMessage *request);
    MessagePtr write_record(QmiMessage *request);
    MessagePtr get_file_attributes(QmiMessage *request);
    MessagePtr set_pin_protection(QmiMessage *request);
    MessagePtr verify_pin(QmiMessage *request);
    MessagePtr unblock_pin(QmiMessage *request);
    MessagePtr change_pin(QmiMessage *request);
    MessagePtr register_events(QmiMessage *request);
    MessagePtr get_card_status(QmiMessage *request);

    Card &card() { return state().card; }
    // The error that refuses a request before the card sees it: a missing
    // or unusable session, or a card that is absent or still initialising.
    std::optional<QmiProtocolError> refuse(QmiMessage *request);
    MessagePtr file_response(QmiMessage *request, const FileResult &result);
    // PIN commands share the request checks and the response layout.
    MessagePtr pin_command(QmiMessage *request, PinOp op);

    // Starts the power-up phase (application "detected") if configured.
    void start_initialization();
    CardStatus last_status_;
    SourceId init_timer_;

    // --- control socket (uim_control.cpp)
    StateKey secret_key(std::string name, PinId id, bool puk);
    StateKey retries_key(std::string name, PinId id, bool puk);
    Outcome insert_or_remove(const CommandArgs &args);
};

} // namespace qmisim
