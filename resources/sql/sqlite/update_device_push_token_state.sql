UPDATE devices SET push_token_state = :state, push_token_retired_reason = :reason WHERE id = :id
    AND push_token = :push_token;
